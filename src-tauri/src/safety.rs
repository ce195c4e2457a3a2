//! How safe places feel, on the device: the public safety layer as the sync engine last
//! fetched it, and one audit's ratings and score.

use tauri::State;

use ronda_core::Timestamp;
use ronda_core::audit::{AuditRatings, DayPart as CoreDayPart, Parameter};
use ronda_core::safety;
use ronda_core::safety_layer::LayerCell;

use crate::ipc::{AuditResult, BandRange, CommandError, ParameterValue, SafetyCell, SafetyMap};
use crate::state::AppData;

type Answer<T> = Result<T, CommandError>;

/// The public safety layer the device holds (neighbourhood cells, both day parts); no cells
/// before the first sync that fetched it.
#[tauri::command]
pub async fn safety_map(state: State<'_, AppData>) -> Answer<SafetyMap> {
    let layer = state.store()?.safety_layer().map_err(|e| state.fail(e))?;
    Ok(SafetyMap {
        cells: layer
            .as_ref()
            .map(|l| l.cells.iter().map(cell).collect())
            .unwrap_or_default(),
        fetched_at: layer.map(|l| l.fetched_at),
        day_part_now: CoreDayPart::of(Timestamp::now()).into(),
    })
}

/// The score bands, worst first, with the whole scores each holds: what the legends show.
#[tauri::command]
pub fn score_bands() -> Vec<BandRange> {
    safety::Band::ALL.into_iter().map(BandRange::from).collect()
}

fn cell(c: &LayerCell) -> SafetyCell {
    let audits = c.audits.as_ref();
    SafetyCell {
        h3: c.h3.to_string(),
        day_part: c.day_part.into(),
        ring: c.ring().iter().map(|p| [p.lat(), p.lon()]).collect(),
        audits: audits.map(|a| a.n),
        score: audits.map(|a| a.score),
        band: audits.map(|a| safety::Band::of(a.score).into()),
        parameters: audits.map(|a| values(a.parameters)).unwrap_or_default(),
        newest: audits.map(|a| a.newest.to_string()),
        oldest: audits.map(|a| a.oldest.to_string()),
        rawan: c.rawan,
    }
}

/// Nine values in [`Parameter::ALL`] order, each named by its parameter's code.
fn values(v: [f64; 9]) -> Vec<ParameterValue> {
    Parameter::ALL
        .iter()
        .zip(v)
        .map(|(p, value)| ParameterValue::new(p.code(), value))
        .collect()
}

/// An audit's result as the report detail shows it.
pub fn audit_result(ratings: &AuditRatings) -> AuditResult {
    let score = safety::score(ratings);
    AuditResult {
        score,
        band: safety::Band::of(score).into(),
        ratings: values(ratings.as_array().map(|r| f64::from(r.get()))),
    }
}
