//! The daily "nihil" check-in: a head of an RT or RW checks in after a patrol with nothing to
//! report, and whoever serves the area sees which RTs and RWs checked in or reported today.

use tauri::State;

use ronda_core::patrol::{day_in_jakarta, day_view_area, patrol_area};
use ronda_core::{AreaCode, Timestamp};

use crate::commands::gps_fix;
use crate::ipc::{CommandError, Patrol, PatrolArea, StepPosition};
use crate::state::AppData;

type Answer<T> = Result<T, CommandError>;

/// Today's patrol as the device knows it.
#[tauri::command]
pub async fn patrol(state: State<'_, AppData>) -> Answer<Patrol> {
    patrol_of(&state)
}

/// Checks in "nihil" for today for the RT or RW the person heads; saved at once, sent with the
/// next sync.
#[tauri::command]
pub async fn check_in_nihil(
    state: State<'_, AppData>,
    position: Option<StepPosition>,
) -> Answer<Patrol> {
    let position = position.map(|p| gps_fix(&state, p)).transpose()?;
    state
        .store()?
        .check_in_nihil(None, position)
        .map_err(|e| state.fail(e))?;
    state.edited();
    state.wake_sync.notify_one();
    patrol_of(&state)
}

fn patrol_of(state: &AppData) -> Answer<Patrol> {
    let store = state.store()?;
    let today = day_in_jakarta(Timestamp::now());
    let roles = store
        .session()
        .map_err(|e| state.fail(e))?
        .map(|s| s.roles)
        .unwrap_or_default();
    let own: Option<AreaCode> = patrol_area(&roles);
    let checked_in = match &own {
        Some(a) => store.checked_in(a, today).map_err(|e| state.fail(e))?,
        None => false,
    };
    let area = day_view_area(&roles);
    let areas = match &area {
        Some(a) => store
            .patrol_day(a, today)
            .map_err(|e| state.fail(e))?
            .into_iter()
            .map(|d| PatrolArea {
                area: d.area.to_string(),
                nihil: d.nihil.is_some(),
                sent: d.nihil.as_ref().is_some_and(|n| n.sent),
                reports: d.reports,
            })
            .collect(),
        None => vec![],
    };
    Ok(Patrol {
        day: today.to_string(),
        own_area: own.map(|a| a.to_string()),
        checked_in,
        area: area.map(|a| a.to_string()),
        areas,
    })
}
