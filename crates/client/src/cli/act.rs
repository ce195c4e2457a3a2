//! `ronda act …`, `ronda report support` and `ronda report history`: lifecycle steps taken from
//! the command line, offline like everything else.

use std::path::Path;

use serde_json::json;

use ronda_client::Store;
use ronda_client::photo;
use ronda_core::authz::{self, Actor};
use ronda_core::lifecycle::{Act, Action, HistoryEntry, Presence};
use ronda_core::sla::{Flag, HolidayCalendar};
use ronda_core::sync::ServerReport;
use ronda_core::{
    Accuracy, Coordinate, Description, Lang, Location, LocationSource, PhotoRef, ReportId, Role,
    Timestamp,
};

use super::args::{StepArgs, StepCommand};
use super::render::print_json;
use super::{Ctx, Failure, open};

pub fn step(ctx: &Ctx, command: StepCommand) -> Result<(), Failure> {
    let mut store = open(ctx)?;
    let (args, action) = match command {
        StepCommand::Verify(a) => (a, Action::Verify),
        StepCommand::Reject { step, reason } => (step, Action::Reject { reason }),
        StepCommand::Duplicate { step, of } => (
            step,
            Action::MarkDuplicate {
                original: of.parse().map_err(Failure::input)?,
            },
        ),
        StepCommand::Reroute { step, to } => (step, Action::Reroute { to }),
        StepCommand::Dispose { step, agency } => (step, Action::Dispose { to: agency }),
        StepCommand::Start(a) => (a, Action::StartWork),
        StepCommand::Resolve { step, photo } => {
            let photo = store_photo(&store, &photo)?;
            (step, Action::Resolve { photo })
        }
        StepCommand::Confirm(a) => (a, Action::Confirm),
        StepCommand::Reopen { step, photo } => {
            let photo = photo.map(|p| store_photo(&store, &p)).transpose()?;
            (step, Action::Reopen { photo })
        }
        StepCommand::CloseUnfixed(a) => (a, Action::CloseUnfixed),
    };
    let report: ReportId = args.id.parse().map_err(Failure::input)?;
    let state = store
        .lifecycle(report)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(report))?;
    let as_role = match args.as_role {
        Some(role) => role,
        None => default_role(&store, &state, &action)?,
    };
    let act = Act {
        report,
        as_role,
        action,
        position: position(&args)?,
        note: args
            .note
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .map(Description::parse)
            .transpose()
            .map_err(Failure::input)?,
    };
    store.act(&act).map_err(Failure::store)?;
    let after = store
        .lifecycle(report)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(report))?;
    if ctx.json {
        print_json(&json!({
            "id": report,
            "status": after.status,
            "step": after.history.last(),
        }));
    } else {
        println!(
            "{} {}: {}",
            ctx.lang.pick("Laporan", "Report"),
            report,
            after.status.name(ctx.lang)
        );
        if let Some(h) = after.history.last() {
            println!("  {}", history_line(h, ctx.lang));
        }
        println!(
            "{}",
            ctx.lang.pick(
                "Tersimpan di HP; terkirim saat sinkron berikutnya.",
                "Saved on this device; sent with the next sync."
            )
        );
    }
    Ok(())
}

pub fn support(ctx: &Ctx, id: &str) -> Result<(), Failure> {
    let id: ReportId = id.parse().map_err(Failure::input)?;
    let mut store = open(ctx)?;
    store.support(id).map_err(Failure::store)?;
    let after = store
        .lifecycle(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(id))?;
    if ctx.json {
        print_json(&json!({ "id": id, "supporters": after.supporters.len() }));
    } else {
        println!(
            "{} ({} {})",
            ctx.lang.pick("Dukungan tersimpan", "Support saved"),
            after.supporters.len(),
            ctx.lang.pick("pendukung", "supporters")
        );
    }
    Ok(())
}

pub fn history(ctx: &Ctx, id: &str) -> Result<(), Failure> {
    let id: ReportId = id.parse().map_err(Failure::input)?;
    let store = open(ctx)?;
    let state = store
        .lifecycle(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(id))?;
    if ctx.json {
        print_json(&json!({
            "id": id,
            "status": state.status,
            "agency": state.agency,
            "supporters": state.supporters,
            "duplicate_of": state.duplicate_of,
            "merged": state.merged,
            "place_flag": state.place_flag,
            "photos": state.report.photos().len(),
            "history": state.history,
        }));
    } else {
        println!(
            "{} {}: {}",
            ctx.lang.pick("Laporan", "Report"),
            id,
            state.status.name(ctx.lang)
        );
        println!(
            "  {}  {}",
            state.report.created_at().display_wib(ctx.lang),
            ctx.lang.pick("dibuat", "made")
        );
        for h in &state.history {
            println!("  {}", history_line(h, ctx.lang));
        }
    }
    Ok(())
}

fn history_line(h: &HistoryEntry, lang: Lang) -> String {
    let place = match h.presence {
        Presence::OnSite { distance_m, .. } => {
            format!("{} ({distance_m:.0} m)", lang.pick("di lokasi", "on site"))
        }
        Presence::Desk { distance_m, .. } => {
            format!(
                "{} ({distance_m:.0} m)",
                lang.pick("dari jauh", "not on site")
            )
        }
        Presence::Unknown => lang.pick("tanpa posisi", "no position").to_owned(),
    };
    let mut line = format!(
        "{}  {}  {} → {}  {place}",
        h.at.display_wib(lang),
        h.as_role.name(lang),
        h.from_status.name(lang),
        h.to_status.name(lang),
    );
    if let Some(agency) = h.agency {
        line.push_str(&format!("  [{}]", agency.name(lang)));
    }
    if let Some(note) = &h.note {
        line.push_str(&format!("  “{}”", note.as_str()));
    }
    line
}

/// The first of the signed-in person's roles that may take this step; failing that their first
/// role, so the refusal names what is missing.
fn default_role(store: &Store, state: &ServerReport, action: &Action) -> Result<Role, Failure> {
    let session = store
        .session()
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::store(ronda_client::StoreError::SignedOut))?;
    let actor = Actor {
        user: session.user_id,
        assignments: session.roles,
    };
    Ok(authz::acting_role(&actor, action.kind(), state.target())
        .or_else(|| actor.assignments.first().map(|a| a.role()))
        .unwrap_or(Role::Warga))
}

fn position(args: &StepArgs) -> Result<Option<Location>, Failure> {
    gps_fix(args.lat.zip(args.lon), args.accuracy)
}

/// A GPS fix taken now at `lat_lon` with `accuracy` metres, when a position was given.
pub(super) fn gps_fix(
    lat_lon: Option<(f64, f64)>,
    accuracy: f64,
) -> Result<Option<Location>, Failure> {
    let Some((lat, lon)) = lat_lon else {
        return Ok(None);
    };
    Ok(Some(Location {
        coord: Coordinate::new(lat, lon).map_err(Failure::input)?,
        accuracy_m: Accuracy::metres(accuracy).map_err(Failure::input)?,
        source: LocationSource::Gps,
        captured_at: Timestamp::now(),
    }))
}

fn store_photo(store: &Store, path: &Path) -> Result<PhotoRef, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::file(path, e))?;
    let processed = photo::process(&bytes).map_err(|e| Failure::photo(path, e))?;
    store.put_photo(&processed).map_err(Failure::store)
}

pub fn kabar(
    ctx: &Ctx,
    read: bool,
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
    holidays: Option<&Path>,
) -> Result<(), Failure> {
    let store = open(ctx)?;
    // The server's deadlines as last fetched; a holiday list given here stands in for its
    // holidays.
    let mut deadlines = store.deadlines().map_err(Failure::store)?;
    if let Some(path) = holidays {
        let text = std::fs::read_to_string(path).map_err(|e| Failure::file(path, e))?;
        deadlines.holidays = HolidayCalendar::parse_list(&text).map_err(Failure::input)?;
    }
    let now = at.map_or_else(Timestamp::now, |t| Timestamp::from(t.to_utc()));
    let kabar = store.kabar(&deadlines, now).map_err(Failure::store)?;
    if read {
        store.mark_kabar_read(now).map_err(Failure::store)?;
    }
    if ctx.json {
        print_json(&kabar);
        return Ok(());
    }
    let lang = ctx.lang;
    println!(
        "{}: {} ({} {})",
        lang.pick("Kabar", "News"),
        kabar.news.len(),
        kabar.unread,
        lang.pick("belum dibaca", "unread")
    );
    for n in &kabar.news {
        let mark = if n.unread { "•" } else { " " };
        println!("{mark} {}  {}", n.report, history_line(&n.step, lang));
    }
    println!(
        "{}: {} ({} {}, {} {})",
        lang.pick("Menunggu Anda", "Waiting on you"),
        kabar.waiting.len(),
        kabar.overdue,
        Flag::Red.name(lang),
        kabar.due_soon,
        Flag::Amber.name(lang)
    );
    for w in &kabar.waiting {
        let due = w
            .sla
            .step_deadline
            .map(|d| d.display_wib(lang))
            .unwrap_or_default();
        let steps: Vec<&str> = w.actions.iter().map(|(_, a)| a.code()).collect();
        println!(
            "  [{}] {}  {}  {}  {}  {due}",
            w.sla.flag.name(lang),
            w.report,
            w.category,
            w.status.name(lang),
            steps.join(", ")
        );
    }
    Ok(())
}

pub fn field(ctx: &Ctx, here: Coordinate, area: Option<String>) -> Result<(), Failure> {
    let store = open(ctx)?;
    let area = match area {
        Some(a) => a.parse().map_err(Failure::input)?,
        None => {
            let session = store
                .session()
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::store(ronda_client::StoreError::SignedOut))?;
            ronda_core::home_area(&session.roles).ok_or_else(|| Failure::input(NoArea))?
        }
    };
    let stops = store.field_queue(&area, here).map_err(Failure::store)?;
    if ctx.json {
        let v: Vec<_> = stops
            .iter()
            .map(|s| {
                json!({
                    "id": s.item.id,
                    "category": s.item.category,
                    "status": s.item.status,
                    "distance_m": s.distance_m.round(),
                    "walk_minutes": s.walk_minutes,
                })
            })
            .collect();
        print_json(&v);
    } else {
        for s in &stops {
            println!(
                "{:>5.0} m  {:>3} {}  {}  {}",
                s.distance_m,
                s.walk_minutes,
                ctx.lang.pick("mnt", "min"),
                s.item.id,
                s.item.category
            );
        }
    }
    Ok(())
}

pub(super) struct NoArea;

impl ronda_core::Coded for NoArea {
    fn code(&self) -> &'static str {
        "FIELD_AREA_REQUIRED"
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            "sebutkan --area: akun ini tidak punya satu wilayah sendiri",
            "give --area: this account has no single area of its own",
        )
        .into()
    }
}
