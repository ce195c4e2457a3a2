//! `ronda import`: reports from JSON Lines. A file is checked whole, then saved in one
//! transaction, so a bad line changes nothing; standard input is saved line by line as it arrives (each id is
//! printed once it is durable), which suits streaming from another program.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

use ronda_client::photo::ProcessedPhoto;
use ronda_core::{Coded, Lang, LocationSource, NewReport, ReportId, ReportKind, Timestamp};

use super::render::print_json;
use super::{Ctx, Failure, ReportInput, attach_photos, open, save};

/// One line of an import file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    /// Keep a report's id to make re-imports harmless; a new one is made if absent.
    id: Option<ReportId>,
    kind: Option<ReportKind>,
    category: String,
    lat: f64,
    lon: f64,
    #[serde(default)]
    accuracy_m: f64,
    #[serde(default = "map_pick")]
    source: LocationSource,
    captured_at: Option<Timestamp>,
    description: Option<String>,
    area: Option<String>,
    /// Photo files, relative to the import file's folder.
    #[serde(default)]
    photos: Vec<PathBuf>,
    /// A safety audit's ratings: `{"penerangan": 2, …, "rasa_aman": 1}`.
    ratings: Option<ronda_core::audit::AuditRatings>,
}

fn map_pick() -> LocationSource {
    LocationSource::MapPick
}

struct BadJson(serde_json::Error);

impl Coded for BadJson {
    fn code(&self) -> &'static str {
        "IMPORT_LINE_INVALID"
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            format!("baris bukan laporan JSON yang sah: {}", self.0),
            format!("not a valid JSON report: {}", self.0),
        )
    }
}

type Checked = (NewReport, Vec<(PathBuf, ProcessedPhoto)>);

fn check_line(text: &str, base: &Path) -> Result<Checked, Failure> {
    let line: ImportLine = serde_json::from_str(text).map_err(|e| Failure::input(BadJson(e)))?;
    ReportInput {
        id: line.id,
        kind: line.kind,
        category: line.category,
        lat: line.lat,
        lon: line.lon,
        accuracy_m: line.accuracy_m,
        source: line.source,
        captured_at: line.captured_at,
        description: line.description,
        area: line.area,
        photos: line.photos.into_iter().map(|p| base.join(p)).collect(),
        ratings: line.ratings,
    }
    .validate()
}

fn progress(ctx: &Ctx, total_bytes: Option<u64>) -> ProgressBar {
    if ctx.json {
        return ProgressBar::hidden();
    }
    match total_bytes {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} ({eta})")
                .expect("template is valid"),
        ),
        None => ProgressBar::new_spinner(),
    }
}

pub fn run(ctx: &Ctx, file: &Path) -> Result<(), Failure> {
    if file.as_os_str() == "-" {
        return stream(ctx, std::io::stdin().lock());
    }
    let f = File::open(file).map_err(|e| Failure::file(file, e))?;
    let size = f.metadata().map(|m| m.len()).ok();
    let base = file.parent().unwrap_or(Path::new("."));
    let bar = progress(ctx, size);
    bar.set_message(ctx.lang.pick("memeriksa", "checking"));
    let mut checked = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| Failure::file(file, e))?;
        bar.inc(line.len() as u64 + 1);
        if line.trim().is_empty() {
            continue;
        }
        checked.push((
            n + 1,
            check_line(&line, base).map_err(|e| e.at_line(n + 1))?,
        ));
    }
    bar.finish_and_clear();
    let mut store = open(ctx)?;
    let bar = progress(ctx, Some(checked.len() as u64));
    bar.set_message(ctx.lang.pick("menyimpan foto", "saving photos"));
    let mut reports = Vec::with_capacity(checked.len());
    let mut lines = Vec::with_capacity(checked.len());
    for (n, (report, photos)) in checked {
        reports.push(attach_photos(&store, report, &photos).map_err(|e| e.at_line(n))?);
        lines.push(n);
        bar.inc(1);
    }
    bar.finish_and_clear();
    store.create_reports(&reports).map_err(Failure::store)?;
    for (n, report) in lines.into_iter().zip(&reports) {
        announce(ctx, n, report.id());
    }
    Ok(())
}

fn stream(ctx: &Ctx, input: impl Read) -> Result<(), Failure> {
    let mut store = open(ctx)?;
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let bar = progress(ctx, None);
    for (n, line) in BufReader::new(input).lines().enumerate() {
        let line = line.map_err(|e| Failure::file(Path::new("-"), e))?;
        if line.trim().is_empty() {
            continue;
        }
        let (report, photos) = check_line(&line, &base).map_err(|e| e.at_line(n + 1))?;
        let saved = save(&mut store, report, &photos).map_err(|e| e.at_line(n + 1))?;
        announce(ctx, n + 1, saved.id());
        bar.tick();
    }
    bar.finish_and_clear();
    Ok(())
}

/// Says a line is saved. Printed only after the save is durable.
fn announce(ctx: &Ctx, line: usize, id: ReportId) {
    if ctx.json {
        print_json(&serde_json::json!({ "line": line, "id": id }));
    } else {
        println!(
            "{} {line}: {id}",
            ctx.lang.pick("tersimpan, baris", "saved, line")
        );
    }
}
