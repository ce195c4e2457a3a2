//! Output for people (in their language, times in WIB) and for machines (`--json`).

use serde::Serialize;
use serde_json::json;

use ronda_client::Store;
use ronda_client::store::{OutboxEntry, ReportSummary, StoreStats};
use ronda_core::category::{self, CATALOGUE};
use ronda_core::{Lang, Report, ReportKind, ReportStatus};

use super::Ctx;

pub fn print_json(value: &impl Serialize) {
    println!(
        "{}",
        serde_json::to_string(value).expect("output types serialise")
    );
}

fn category_name(code: &str, lang: Lang) -> String {
    category::lookup(code)
        .map(|c| c.name(lang).to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

fn status_line(status: ReportStatus, lang: Lang) -> &'static str {
    status.name(lang)
}

fn short(text: &str, max_chars: usize) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.chars().count() <= max_chars && !text.contains('\n') {
        first_line.to_owned()
    } else {
        format!(
            "{}…",
            first_line.chars().take(max_chars).collect::<String>()
        )
    }
}

fn distance(m: f64) -> String {
    if m < 1000.0 {
        format!("{m:.0} m")
    } else {
        format!("{:.1} km", m / 1000.0)
    }
}

pub fn created(ctx: &Ctx, report: &Report) {
    if ctx.json {
        print_json(report);
        return;
    }
    let lang = ctx.lang;
    println!(
        "{} {}",
        lang.pick(
            "Tersimpan di HP, menunggu dikirim:",
            "Saved on this device, waiting to be sent:"
        ),
        report.id()
    );
    if let Ok(c) = category::lookup(report.category().as_str())
        && c.emergency
    {
        println!(
            "{}",
            lang.pick(
                "DARURAT: telepon 112 (atau 113 untuk kebakaran) sekarang. Laporan ini hanya catatan.",
                "EMERGENCY: call 112 (or 113 for fire) now. This report is only a record.",
            )
        );
    }
}

pub fn list(ctx: &Ctx, reports: &[ReportSummary]) {
    if ctx.json {
        print_json(&reports);
        return;
    }
    let lang = ctx.lang;
    if reports.is_empty() {
        println!(
            "{}",
            lang.pick("Tidak ada laporan yang cocok.", "No matching reports.")
        );
        return;
    }
    println!(
        "{} {}",
        reports.len(),
        lang.pick(
            "laporan",
            if reports.len() == 1 {
                "report"
            } else {
                "reports"
            }
        )
    );
    for r in reports {
        let mut line = format!(
            "{}  {} · {} · {}",
            r.id,
            category_name(r.category.as_str(), lang),
            status_line(r.status, lang),
            r.created_at.display_wib(lang)
        );
        if let Some(d) = r.distance_m {
            line.push_str(&format!(" · {}", distance(d)));
        }
        if r.photo_count > 0 {
            line.push_str(&format!(
                " · {} {}",
                r.photo_count,
                lang.pick("foto", "photo(s)")
            ));
        }
        println!("{line}");
        if let Some(d) = &r.description {
            println!("    {}", short(d, 70));
        }
    }
}

pub fn report(ctx: &Ctx, r: &Report) {
    if ctx.json {
        print_json(r);
        return;
    }
    let lang = ctx.lang;
    let loc = r.location();
    let row = |label_id: &str, label_en: &str, value: String| {
        println!(
            "{:<12} {value}",
            format!("{}:", lang.pick(label_id, label_en))
        );
    };
    row("Laporan", "Report", r.id().to_string());
    row("Jenis", "Kind", r.kind().name(lang).to_owned());
    let agency = category::lookup(r.category().as_str())
        .map(|c| c.agency.name(lang))
        .unwrap_or_default();
    row(
        "Kategori",
        "Category",
        format!("{} ({agency})", category_name(r.category().as_str(), lang)),
    );
    row("Status", "Status", r.status.name(lang).to_owned());
    row(
        "Lokasi",
        "Location",
        format!(
            "{} (±{:.0} m, {})",
            loc.coord,
            loc.accuracy_m.get(),
            loc.source.name(lang)
        ),
    );
    if let Some(area) = r.area() {
        row("Wilayah", "Area", area.to_string());
    }
    row("Dibuat", "Made", r.created_at().display_wib(lang));
    row("Diperbarui", "Updated", r.updated_at.display_wib(lang));
    for (i, p) in r.photos().iter().enumerate() {
        let mut text = format!(
            "{}×{} px, {} KB, {}",
            p.width,
            p.height,
            p.bytes / 1024,
            p.sha256
        );
        if let Some(c) = p.exif_position {
            text.push_str(&format!(
                " · {} {} ({} {})",
                lang.pick("GPS foto", "photo GPS"),
                c,
                distance(c.distance_m(&loc.coord)),
                lang.pick("dari lokasi laporan", "from the report's location")
            ));
        }
        row("Foto", "Photo", format!("{} {text}", i + 1));
    }
    if let Some(d) = r.description() {
        println!("\n{d}");
    }
}

pub fn outbox(ctx: &Ctx, entries: &[OutboxEntry]) {
    if ctx.json {
        print_json(&entries);
        return;
    }
    let lang = ctx.lang;
    if entries.is_empty() {
        println!(
            "{}",
            lang.pick("Kotak keluar kosong.", "The outbox is empty.")
        );
        return;
    }
    for e in entries {
        let state = match e.state {
            ronda_client::store::OutboxState::Pending => {
                lang.pick("menunggu sinyal", "waiting for signal")
            }
            ronda_client::store::OutboxState::Sent => lang.pick("sedang dikirim", "being sent"),
            ronda_client::store::OutboxState::Accepted => lang.pick("terkirim", "sent"),
            ronda_client::store::OutboxState::Rejected => lang.pick("ditolak", "rejected"),
        };
        println!(
            "#{:<5} {}  {}  {} {}  [{state}]",
            e.seq,
            e.op.id,
            e.op.body.kind().code(),
            lang.pick("laporan", "report"),
            e.op.body.subject()
        );
        if let Some(r) = &e.rejection {
            println!(
                "       {}: {} ({})",
                lang.pick("alasan", "reason"),
                r.message,
                r.code
            );
        }
    }
}

pub fn categories(ctx: &Ctx, kind: Option<ReportKind>) {
    let shown: Vec<_> = CATALOGUE
        .iter()
        .filter(|c| kind.is_none_or(|k| c.applies_to(k)))
        .collect();
    if ctx.json {
        print_json(&json!(shown));
        return;
    }
    let lang = ctx.lang;
    for c in shown {
        let kinds: Vec<&str> = c.kinds.iter().map(|k| k.code()).collect();
        let mut line = format!(
            "{:<22} {} — {} [{}]",
            c.code,
            c.name(lang),
            c.agency.name(lang),
            kinds.join(", ")
        );
        if c.emergency {
            line.push_str(lang.pick(
                "  DARURAT: telepon 112 / 113",
                "  EMERGENCY: call 112 / 113",
            ));
        }
        println!("{line}");
    }
}

pub fn db_info(ctx: &Ctx, store: &Store, stats: &StoreStats) {
    let lang = ctx.lang;
    println!(
        "{:<16} {}",
        lang.pick("Berkas:", "File:"),
        store.path().display()
    );
    println!(
        "{:<16} {}",
        lang.pick("Folder foto:", "Photo folder:"),
        store.blobs().root().display()
    );
    println!(
        "{:<16} {}",
        lang.pick("Versi skema:", "Schema version:"),
        stats.schema_version
    );
    println!(
        "{:<16} {}",
        lang.pick("Laporan:", "Reports:"),
        stats.reports
    );
    println!("{:<16} {}", lang.pick("Foto:", "Photos:"), stats.photos);
    println!(
        "{:<16} {}",
        lang.pick("Belum terkirim:", "Not yet sent:"),
        stats.outbox_pending
    );
    println!(
        "{:<16} {}",
        lang.pick("Ditolak:", "Rejected:"),
        stats.outbox_rejected
    );
}

/// Values that lost to a concurrent edit: kept and shown, never silently dropped.
pub fn losers(ctx: &Ctx, losers: &[ronda_core::sync::LosingValue]) {
    use ronda_core::sync::FieldValue;
    if losers.is_empty() {
        return;
    }
    let lang = ctx.lang;
    println!(
        "\n{}",
        lang.pick(
            "Isian yang kalah oleh perubahan lain:",
            "Values overwritten by a concurrent edit:"
        )
    );
    for l in losers {
        let (field, value) = match &l.value {
            FieldValue::Category(c) => (
                lang.pick("kategori", "category"),
                category_name(c.as_str(), lang),
            ),
            FieldValue::Location(loc) => (lang.pick("lokasi", "location"), loc.coord.to_string()),
            FieldValue::Description(d) => (
                lang.pick("keterangan", "description"),
                short(d.as_str(), 70),
            ),
        };
        println!("  - {field}: {value}");
    }
}
