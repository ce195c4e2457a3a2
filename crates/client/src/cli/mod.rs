//! The `ronda` command line: argument parsing, one function per command, and output for people
//! (Indonesian or English) or machines (`--json`).

mod act;
pub mod args;
mod failure;
mod import;
mod patrol;
mod render;
mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use ronda_client::photo;
use ronda_client::store::{Near, OutboxState, ReportQuery};
use ronda_client::{Store, StoreError};
use ronda_core::category;
use ronda_core::{
    Accuracy, AreaCode, Coordinate, Description, Lang, Location, NewReport, ReportId, ReportKind,
    Timestamp,
};

use args::{
    Cli, Command, CreateArgs, DbCommand, EditArgs, ListArgs, OutboxStateArg, ReportCommand,
};
pub use failure::Failure;

/// What every command needs to say things.
pub struct Ctx {
    pub lang: Lang,
    pub json: bool,
    pub db: PathBuf,
}

pub fn run(cli: Cli) -> ExitCode {
    let ctx = Ctx {
        lang: cli.lang.unwrap_or_else(lang_from_environment),
        json: cli.json,
        db: cli.db.clone().unwrap_or_else(default_db_path),
    };
    match dispatch(&ctx, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print(&ctx);
            failure.exit_code()
        }
    }
}

fn dispatch(ctx: &Ctx, command: Command) -> Result<(), Failure> {
    match command {
        Command::Report(ReportCommand::Create(a)) => create(ctx, a),
        Command::Report(ReportCommand::List(a)) => list(ctx, a),
        Command::Report(ReportCommand::Edit(a)) => edit(ctx, a),
        Command::Report(ReportCommand::Show { id }) => show(ctx, &id),
        Command::Report(ReportCommand::Support { id }) => act::support(ctx, &id),
        Command::Report(ReportCommand::History { id }) => act::history(ctx, &id),
        Command::Act(step) => act::step(ctx, step),
        Command::Kabar { read, at, holidays } => act::kabar(ctx, read, at, holidays.as_deref()),
        Command::Field { here, area } => act::field(ctx, here, area),
        Command::Nihil {
            area,
            lat,
            lon,
            accuracy,
        } => patrol::nihil(ctx, area, lat.zip(lon), accuracy),
        Command::Patroli { day, area } => patrol::day(ctx, day, area),
        Command::Outbox { state } => outbox(ctx, state),
        Command::Import { file } => import::run(ctx, &file),
        Command::Categories { kind } => {
            render::categories(ctx, kind.map(ReportKind::from));
            Ok(())
        }
        Command::Db(DbCommand::Info) => db_info(ctx),
        Command::Db(DbCommand::Check) => db_check(ctx),
        Command::Login {
            server,
            code,
            device_name,
        } => sync::login(ctx, &server, &code, &device_name),
        Command::Sync { watch } => sync::sync(ctx, watch),
        Command::Status => sync::status(ctx),
    }
}

fn lang_from_environment() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::from_locale(&v))
        .unwrap_or_default()
}

fn default_db_path() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("ronda").join("ronda.db")
}

fn open(ctx: &Ctx) -> Result<Store, Failure> {
    Store::open(&ctx.db).map_err(Failure::store)
}

/// Everything a report needs from the command line or an import line, checked.
pub struct ReportInput {
    pub id: Option<ReportId>,
    pub kind: Option<ReportKind>,
    pub category: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub source: ronda_core::LocationSource,
    pub captured_at: Option<Timestamp>,
    pub description: Option<String>,
    pub area: Option<String>,
    pub photos: Vec<PathBuf>,
    pub ratings: Option<ronda_core::audit::AuditRatings>,
}

impl ReportInput {
    /// The report, validated; its photos are read and checked but not yet stored.
    pub fn validate(self) -> Result<(NewReport, Vec<(PathBuf, photo::ProcessedPhoto)>), Failure> {
        let entry = category::lookup(&self.category).map_err(Failure::input)?;
        let kind = self.kind.unwrap_or(entry.kinds[0]);
        let location = Location {
            coord: Coordinate::new(self.lat, self.lon).map_err(Failure::input)?,
            accuracy_m: Accuracy::metres(self.accuracy_m).map_err(Failure::input)?,
            source: self.source,
            captured_at: self.captured_at.unwrap_or_else(Timestamp::now),
        };
        let description = self
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(Description::parse)
            .transpose()
            .map_err(Failure::input)?;
        let area: Option<AreaCode> = self
            .area
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(Failure::input)?;
        let id = self.id.unwrap_or_default();
        let report = NewReport::with_id(id, kind, &self.category, location, Timestamp::now())
            .map_err(Failure::input)?
            .describe(description)
            .in_area(area);
        let report = match self.ratings {
            Some(r) => report.rate(r).map_err(Failure::input)?,
            None => report,
        };
        if self.photos.len() > NewReport::MAX_PHOTOS {
            // Refused before any photo is decoded.
            return Err(Failure::input(
                ronda_core::report::ReportError::TooManyPhotos {
                    got: self.photos.len(),
                    max: NewReport::MAX_PHOTOS,
                },
            ));
        }
        let mut photos = Vec::with_capacity(self.photos.len());
        for path in self.photos {
            let bytes = std::fs::read(&path).map_err(|e| Failure::file(&path, e))?;
            let processed = photo::process(&bytes).map_err(|e| Failure::photo(&path, e))?;
            photos.push((path, processed));
        }
        Ok((report, photos))
    }
}

/// Writes the photos' files and names them in the report, which is not saved yet.
pub fn attach_photos(
    store: &Store,
    mut report: NewReport,
    photos: &[(PathBuf, photo::ProcessedPhoto)],
) -> Result<NewReport, Failure> {
    let refs = photos
        .iter()
        .map(|(_, p)| store.put_photo(p))
        .collect::<Result<Vec<_>, StoreError>>()
        .map_err(Failure::store)?;
    report.set_photos(refs).map_err(Failure::input)?;
    Ok(report)
}

/// Stores the photos' files, then the report with its outbox op.
pub fn save(
    store: &mut Store,
    report: NewReport,
    photos: &[(PathBuf, photo::ProcessedPhoto)],
) -> Result<NewReport, Failure> {
    let report = attach_photos(store, report, photos)?;
    store.create_report(&report).map_err(Failure::store)?;
    Ok(report)
}

fn create(ctx: &Ctx, a: CreateArgs) -> Result<(), Failure> {
    let input = ReportInput {
        id: None,
        kind: a.kind.map(ReportKind::from),
        category: a.category,
        lat: a.lat,
        lon: a.lon,
        accuracy_m: a.accuracy,
        source: a.source.into(),
        captured_at: None,
        description: a.description,
        area: a.area,
        photos: a.photos,
        ratings: a.ratings,
    };
    let (report, photos) = input.validate()?;
    let mut store = open(ctx)?;
    let saved = save(&mut store, report, &photos)?;
    let report = store
        .report(saved.id())
        .map_err(Failure::store)?
        .expect("the report was just saved");
    render::created(ctx, &report);
    Ok(())
}

fn edit(ctx: &Ctx, a: EditArgs) -> Result<(), Failure> {
    let report: ReportId = a.id.parse().map_err(Failure::input)?;
    let location = match (a.lat, a.lon) {
        (Some(lat), Some(lon)) => Some(Location {
            coord: Coordinate::new(lat, lon).map_err(Failure::input)?,
            accuracy_m: Accuracy::metres(a.accuracy).map_err(Failure::input)?,
            source: ronda_core::LocationSource::MapPick,
            captured_at: Timestamp::now(),
        }),
        _ => None,
    };
    let patch = ronda_core::ReportPatch {
        report,
        category: a
            .category
            .as_deref()
            .map(|c| category::lookup(c).map(|e| e.code()))
            .transpose()
            .map_err(Failure::input)?,
        location,
        description: a
            .description
            .as_deref()
            .map(Description::parse)
            .transpose()
            .map_err(Failure::input)?,
    };
    let mut store = open(ctx)?;
    store.update_report(&patch).map_err(Failure::store)?;
    let updated = store
        .report(report)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(report))?;
    render::report(ctx, &updated);
    Ok(())
}

fn list(ctx: &Ctx, a: ListArgs) -> Result<(), Failure> {
    let query = ReportQuery {
        near: a
            .near
            .map(|c| Near::new(c, a.radius))
            .transpose()
            .map_err(Failure::input)?,
        bbox: a.bbox,
        statuses: a.status,
        kind: a.kind.map(ReportKind::from),
        category: a
            .category
            .as_deref()
            .map(|c| category::lookup(c).map(|entry| entry.code()))
            .transpose()
            .map_err(Failure::input)?,
        area: a
            .area
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(Failure::input)?,
        text: a.text,
        limit: a.limit,
    };
    let store = open(ctx)?;
    let reports = store.query(&query).map_err(Failure::store)?;
    render::list(ctx, &reports);
    Ok(())
}

fn show(ctx: &Ctx, id: &str) -> Result<(), Failure> {
    let id: ReportId = id.parse().map_err(Failure::input)?;
    let store = open(ctx)?;
    match store.report(id).map_err(Failure::store)? {
        Some(report) => {
            let losers = store.losers(id).map_err(Failure::store)?;
            if ctx.json {
                let mut v = serde_json::to_value(&report).expect("reports serialise");
                v["losers"] = serde_json::to_value(&losers).expect("values serialise");
                render::print_json(&v);
            } else {
                render::report(ctx, &report);
                render::losers(ctx, &losers);
            }
            Ok(())
        }
        None => Err(Failure::not_found(id)),
    }
}

fn outbox(ctx: &Ctx, state: Option<OutboxStateArg>) -> Result<(), Failure> {
    let state = state.map(|s| match s {
        OutboxStateArg::Pending => OutboxState::Pending,
        OutboxStateArg::Sent => OutboxState::Sent,
        OutboxStateArg::Accepted => OutboxState::Accepted,
        OutboxStateArg::Rejected => OutboxState::Rejected,
    });
    let store = open(ctx)?;
    let entries = store.outbox(state).map_err(Failure::store)?;
    render::outbox(ctx, &entries);
    Ok(())
}

fn db_info(ctx: &Ctx) -> Result<(), Failure> {
    let store = open(ctx)?;
    let stats = store.stats().map_err(Failure::store)?;
    if ctx.json {
        render::print_json(
            &json!({ "path": store.path(), "blobs": store.blobs().root(), "stats": stats }),
        );
    } else {
        render::db_info(ctx, &store, &stats);
    }
    Ok(())
}

fn db_check(ctx: &Ctx) -> Result<(), Failure> {
    let store = open(ctx)?;
    let report = store.check().map_err(Failure::store)?;
    if ctx.json {
        render::print_json(&report);
    } else if report.ok {
        println!(
            "{}",
            ctx.lang.pick(
                "Data utuh: tidak ada masalah.",
                "The store is intact: no problems."
            )
        );
    } else {
        for p in &report.problems {
            println!("- {p}");
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Failure::store(StoreError::Corrupt {
            path: ctx.db.clone(),
        }))
    }
}
