use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use ronda_core::lifecycle::RejectReason;
use ronda_core::{
    AgencyCode, BoundingBox, Coordinate, Lang, LocationSource, ReportKind, ReportStatus, Role,
};

#[derive(Debug, Parser)]
#[command(
    name = "ronda",
    version,
    about = "Ronda: laporan lingkungan, luring dulu / neighbourhood reports, offline first"
)]
pub struct Cli {
    /// The store file. Default: $XDG_DATA_HOME/ronda/ronda.db (or ~/.local/share/ronda/ronda.db).
    #[arg(long, global = true, env = "RONDA_DB")]
    pub db: Option<PathBuf>,
    /// Print JSON for machines instead of text for people.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of messages: id (Bahasa Indonesia) or en. Default: from RONDA_LANG, then the
    /// locale (LC_ALL, LC_MESSAGES, LANG), else id.
    #[arg(long, global = true, env = "RONDA_LANG")]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make, list and show reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Take a step in a report's life: verify, reject, hand over, fix, confirm… Works offline;
    /// the server checks it again when it arrives.
    #[command(subcommand)]
    Act(StepCommand),
    /// Show what is waiting to be sent to the server.
    Outbox {
        /// Only entries in this state.
        #[arg(long, value_enum)]
        state: Option<OutboxStateArg>,
    },
    /// Import reports from a JSON Lines file (or - for standard input), one report per line.
    Import {
        /// The file to read; `-` reads standard input and saves each line as it arrives.
        file: PathBuf,
    },
    /// List the report categories.
    Categories {
        /// Only categories for this kind of report.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
    /// The store itself.
    #[command(subcommand)]
    Db(DbCommand),
    /// Sign this device in to a Ronda server with a one-time activation code.
    Login {
        /// The server's address, e.g. https://ronda.example.id or http://127.0.0.1:8080.
        #[arg(long, env = "RONDA_SERVER")]
        server: String,
        /// The activation code from the lurah or admin, e.g. K7QF-2MXP-9RTC.
        #[arg(long)]
        code: String,
        /// What to call this device.
        #[arg(long, default_value = "ronda CLI")]
        device_name: String,
    },
    /// Send what waits in the outbox and fetch what changed.
    Sync {
        /// Keep running: sync now, then periodically, retrying with backoff when offline.
        #[arg(long)]
        watch: bool,
    },
    /// Who is signed in, when the last sync was, and what is still waiting.
    Status,
    /// Kabar, the inbox: what others did to your reports, and the reports waiting on you with
    /// their deadlines (overdue first).
    Kabar {
        /// Mark the news as read.
        #[arg(long)]
        read: bool,
        /// Count deadlines as of this moment (RFC 3339) instead of now: what will be overdue.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::FixedOffset>>,
        /// Public holidays that stop the clocks, instead of the server's as last synced: a file
        /// with one date (YYYY-MM-DD) per line, `#` comments allowed.
        #[arg(long, env = "RONDA_HOLIDAYS")]
        holidays: Option<PathBuf>,
    },
    /// "Patroli nihil": check in for today after a patrol with nothing to report (RT and RW
    /// heads). Works offline; sent with the next sync.
    Nihil {
        /// The RT or RW patrolled, when you head several.
        #[arg(long)]
        area: Option<String>,
        /// Where you stand (with --lon).
        #[arg(long, allow_negative_numbers = true, requires = "lon")]
        lat: Option<f64>,
        #[arg(long, allow_negative_numbers = true, requires = "lat")]
        lon: Option<f64>,
        /// The GPS accuracy of that position, in metres.
        #[arg(long, default_value_t = 10.0)]
        accuracy: f64,
    },
    /// The patrol day of an area: which RTs and RWs checked in "nihil" and which reported, as
    /// of the last sync.
    Patroli {
        /// The day (YYYY-MM-DD). Default: today in Jakarta.
        #[arg(long)]
        day: Option<chrono::NaiveDate>,
        /// The area to look at; default: the area you serve.
        #[arg(long)]
        area: Option<String>,
    },
    /// The walk list for verifying in the field: reports still to verify in your kelurahan (or
    /// --area), nearest first from where you stand.
    Field {
        /// Where you stand: LAT,LON.
        #[arg(long, value_parser = parse_coordinate, allow_hyphen_values = true)]
        here: Coordinate,
        /// The area to walk; default: the kelurahan you serve.
        #[arg(long)]
        area: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Save a new report on this device and queue it for the server.
    Create(CreateArgs),
    /// List reports, filtered.
    List(ListArgs),
    /// Change a report's category, place or description; queued for the server like any edit.
    Edit(EditArgs),
    /// Show one report.
    Show {
        /// The report's id.
        id: String,
    },
    /// "Dukung": add your support to someone else's report instead of making a new one.
    Support {
        /// The report's id.
        id: String,
    },
    /// What happened to a report: every step, who took it, when, where and why.
    History {
        /// The report's id.
        id: String,
    },
}

/// One lifecycle step. Each takes the report's id first.
#[derive(Debug, Subcommand)]
pub enum StepCommand {
    /// The problem is real (on site when --lat/--lon put you near it).
    Verify(StepArgs),
    /// Not acted on, for a reason from the list.
    Reject {
        #[command(flatten)]
        step: StepArgs,
        /// tidak_ditemukan, bukan_masalah_publik, informasi_kurang, tidak_pantas or lainnya
        /// (which needs --note).
        #[arg(long, value_parser = parse_reason)]
        reason: RejectReason,
    },
    /// Another report covers this one; supporters and photos move there.
    Duplicate {
        #[command(flatten)]
        step: StepArgs,
        /// The original report's id.
        #[arg(long)]
        of: String,
    },
    /// Not this body's remit: hand it to the right one (needs --note).
    Reroute {
        #[command(flatten)]
        step: StepArgs,
        /// The agency code, e.g. polri (see the agency list in the docs).
        #[arg(long, value_parser = parse_agency)]
        to: AgencyCode,
    },
    /// Hand over to an agency: the one given, or the one the kewenangan matrix names.
    Dispose {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long, value_parser = parse_agency)]
        agency: Option<AgencyCode>,
    },
    /// Work has started.
    Start(StepArgs),
    /// Fixed: a photo taken near the report, with the device's position.
    Resolve {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long)]
        photo: PathBuf,
    },
    /// The reporter agrees it is fixed.
    Confirm(StepArgs),
    /// Not fixed after all (needs --note; a photo helps).
    Reopen {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long)]
        photo: Option<PathBuf>,
    },
    /// Closed without a fix (needs --note).
    CloseUnfixed(StepArgs),
}

#[derive(Debug, Args)]
pub struct StepArgs {
    /// The report's id.
    pub id: String,
    /// The role to act in, when you hold several (e.g. lurah, camat, petugas_skpd). Default: the
    /// first of yours that may take this step.
    #[arg(long = "as", value_parser = parse_role)]
    pub as_role: Option<Role>,
    /// Why, in words.
    #[arg(long, short)]
    pub note: Option<String>,
    /// Where the device is now (with --lon): shows whether the step was taken on site.
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    pub lat: Option<f64>,
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    pub lon: Option<f64>,
    /// The GPS accuracy of that position, in metres.
    #[arg(long, default_value_t = 10.0)]
    pub accuracy: f64,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Where the store is, its schema version and what it holds.
    Info,
    /// A full integrity check of the store and its indexes.
    Check,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Category code, e.g. jalan-rusak (see `ronda categories`).
    #[arg(long, short)]
    pub category: String,
    /// Kind of report. Default: the category's first kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Latitude in degrees (WGS84), e.g. -6.1754.
    #[arg(long, allow_negative_numbers = true)]
    pub lat: f64,
    /// Longitude in degrees (WGS84), e.g. 106.8272.
    #[arg(long, allow_negative_numbers = true)]
    pub lon: f64,
    /// How sure the position is, in metres.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub accuracy: f64,
    /// Where the position came from.
    #[arg(long, value_enum, default_value_t = SourceArg::MapPick)]
    pub source: SourceArg,
    /// What is wrong, in the reporter's words.
    #[arg(long, short)]
    pub description: Option<String>,
    /// Administrative area, e.g. "31.71.01.1001/RW 003/RT 007".
    #[arg(long)]
    pub area: Option<String>,
    /// A photo (JPEG, PNG or WebP); repeat for several.
    #[arg(long = "photo", short)]
    pub photos: Vec<PathBuf>,
    /// A safety audit's nine ratings, 0 to 3, in this order: penerangan, keterbukaan,
    /// visibilitas, keramaian, keamanan, jalur_pejalan_kaki, transportasi_umum, keberagaman,
    /// rasa_aman. E.g. 2,1,3,2,0,1,2,1,1.
    #[arg(long, value_parser = parse_ratings)]
    pub ratings: Option<ronda_core::audit::AuditRatings>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The report's id.
    pub id: String,
    /// New category code.
    #[arg(long, short)]
    pub category: Option<String>,
    /// New description.
    #[arg(long, short)]
    pub description: Option<String>,
    /// New latitude (with --lon).
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    pub lat: Option<f64>,
    /// New longitude (with --lat).
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    pub lon: Option<f64>,
    /// Accuracy of the new position, in metres.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub accuracy: f64,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only reports within --radius of this point: LAT,LON.
    #[arg(long, value_parser = parse_coordinate, allow_hyphen_values = true)]
    pub near: Option<Coordinate>,
    /// Radius for --near, in metres.
    #[arg(
        long,
        default_value_t = 500.0,
        requires = "near",
        allow_negative_numbers = true
    )]
    pub radius: f64,
    /// Only reports inside this box: SOUTH,WEST,NORTH,EAST in degrees.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<BoundingBox>,
    /// Only reports in this status; repeat for several.
    #[arg(long, value_parser = parse_status)]
    pub status: Vec<ReportStatus>,
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Category code.
    #[arg(long)]
    pub category: Option<String>,
    /// Only reports in this area or inside it, e.g. 31.71.01 or "31.71.01.1001/RW 003".
    #[arg(long)]
    pub area: Option<String>,
    /// Words that must appear in the description (any form: "banjir" finds "kebanjiran").
    #[arg(long)]
    pub text: Option<String>,
    /// At most this many reports.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Laporan,
    Rawan,
    Audit,
}

impl From<KindArg> for ReportKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Laporan => ReportKind::Laporan,
            KindArg::Rawan => ReportKind::Rawan,
            KindArg::Audit => ReportKind::Audit,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceArg {
    Gps,
    Network,
    MapPick,
    Sms,
}

impl From<SourceArg> for LocationSource {
    fn from(s: SourceArg) -> Self {
        match s {
            SourceArg::Gps => LocationSource::Gps,
            SourceArg::Network => LocationSource::Network,
            SourceArg::MapPick => LocationSource::MapPick,
            SourceArg::Sms => LocationSource::Sms,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutboxStateArg {
    Pending,
    Sent,
    Accepted,
    Rejected,
}

fn numbers<const N: usize>(s: &str, shape: &str) -> Result<[f64; N], String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != N {
        return Err(format!("expected {shape}"));
    }
    let mut out = [0.0; N];
    for (slot, part) in out.iter_mut().zip(parts) {
        *slot = part
            .parse()
            .map_err(|_| format!("{part:?} is not a number; expected {shape}"))?;
    }
    Ok(out)
}

fn parse_coordinate(s: &str) -> Result<Coordinate, String> {
    let [lat, lon] = numbers(s, "LAT,LON")?;
    Coordinate::new(lat, lon).map_err(|e| e.to_string())
}

fn parse_ratings(s: &str) -> Result<ronda_core::audit::AuditRatings, String> {
    let values: Vec<u8> = s
        .split(',')
        .map(|v| {
            v.trim()
                .parse::<u8>()
                .map_err(|_| format!("{v:?} is not a rating 0 to 3"))
        })
        .collect::<Result<_, _>>()?;
    let values: [u8; 9] = values
        .try_into()
        .map_err(|v: Vec<u8>| format!("nine ratings are needed, got {}", v.len()))?;
    ronda_core::audit::AuditRatings::from_values(values).map_err(|e| e.to_string())
}

fn parse_bbox(s: &str) -> Result<BoundingBox, String> {
    let [south, west, north, east] = numbers(s, "SOUTH,WEST,NORTH,EAST")?;
    BoundingBox::new(south, west, north, east).map_err(|e| e.to_string())
}

fn parse_reason(s: &str) -> Result<RejectReason, String> {
    serde_json::from_value(serde_json::Value::String(s.replace('-', "_"))).map_err(|_| {
        format!(
            "unknown reason {s:?}; one of: tidak_ditemukan, bukan_masalah_publik, informasi_kurang, tidak_pantas, lainnya"
        )
    })
}

fn parse_agency(s: &str) -> Result<AgencyCode, String> {
    AgencyCode::from_code(&s.replace('-', "_")).ok_or_else(|| {
        let known: Vec<&str> = AgencyCode::ALL.iter().map(|a| a.code()).collect();
        format!("unknown agency {s:?}; one of: {}", known.join(", "))
    })
}

fn parse_role(s: &str) -> Result<Role, String> {
    serde_json::from_value(serde_json::Value::String(s.replace('-', "_")))
        .map_err(|_| format!("unknown role {s:?}; one of: warga, ketua_rt, ketua_rw, lurah, camat, petugas_skpd, admin"))
}

fn parse_status(s: &str) -> Result<ReportStatus, String> {
    ReportStatus::from_code(s).ok_or_else(|| {
        let known: Vec<&str> = ReportStatus::ALL.iter().map(|s| s.code()).collect();
        format!("unknown status {s:?}; one of: {}", known.join(", "))
    })
}
