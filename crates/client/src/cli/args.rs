use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use ronda_core::{BoundingBox, Coordinate, Lang, LocationSource, ReportKind, ReportStatus};

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

fn parse_bbox(s: &str) -> Result<BoundingBox, String> {
    let [south, west, north, east] = numbers(s, "SOUTH,WEST,NORTH,EAST")?;
    BoundingBox::new(south, west, north, east).map_err(|e| e.to_string())
}

fn parse_status(s: &str) -> Result<ReportStatus, String> {
    ReportStatus::from_code(s).ok_or_else(|| {
        let known: Vec<&str> = ReportStatus::ALL.iter().map(|s| s.code()).collect();
        format!("unknown status {s:?}; one of: {}", known.join(", "))
    })
}
