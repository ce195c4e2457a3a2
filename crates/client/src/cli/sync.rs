//! `ronda login`, `ronda sync`, `ronda status`.

use std::sync::Arc;

use serde_json::json;

use ronda_client::store::OutboxState;
use ronda_client::sync::{self as engine, Schedule, Syncer};

use super::render::print_json;
use super::{Ctx, Failure, open};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

fn sync_failure(e: engine::SyncError) -> Failure {
    Failure::sync(e)
}

pub fn login(ctx: &Ctx, server: &str, code: &str, device_name: &str) -> Result<(), Failure> {
    let mut store = open(ctx)?;
    let session = runtime()
        .block_on(engine::login(
            &mut store,
            server,
            code,
            device_name,
            ctx.lang,
        ))
        .map_err(sync_failure)?;
    if ctx.json {
        print_json(&session_json(&session));
    } else {
        println!(
            "{} {} ({})",
            ctx.lang.pick("Masuk sebagai", "Signed in as"),
            session.user_name,
            session
                .roles
                .iter()
                .map(|r| r.role().name(ctx.lang))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

fn session_json(s: &ronda_client::store::Session) -> serde_json::Value {
    json!({
        "server": s.server_url,
        "user_id": s.user_id,
        "user_name": s.user_name,
        "device_id": s.device_id,
        "roles": s.roles,
        "last_sync_at": s.last_sync_at,
    })
}

pub fn sync(ctx: &Ctx, watch: bool) -> Result<(), Failure> {
    let mut store = open(ctx)?;
    let session = store
        .session()
        .map_err(Failure::store)?
        .ok_or_else(|| sync_failure(engine::SyncError::NotSignedIn))?;
    let syncer = Syncer::new(&session, ctx.lang).map_err(sync_failure)?;
    if watch {
        return watch_forever(ctx, store, syncer);
    }
    let mut syncer = syncer;
    let summary = runtime()
        .block_on(syncer.sync(&mut store, &mut |_| {}))
        .map_err(sync_failure)?;
    if ctx.json {
        print_json(&summary);
    } else {
        let lang = ctx.lang;
        println!(
            "{}: {} {}, {} {}, {} {}, {} {}",
            lang.pick("Sinkron selesai", "Sync done"),
            summary.ops_accepted,
            lang.pick("terkirim", "sent"),
            summary.ops_rejected,
            lang.pick("ditolak", "rejected"),
            summary.reports_received,
            lang.pick("laporan diterima", "reports received"),
            summary.photos_uploaded,
            lang.pick("foto diunggah", "photos uploaded"),
        );
    }
    Ok(())
}

fn watch_forever(ctx: &Ctx, store: ronda_client::Store, syncer: Syncer) -> Result<(), Failure> {
    let rt = runtime();
    rt.block_on(async {
        let (_triggers, rx) = tokio::sync::mpsc::channel(8);
        let (progress, _) = tokio::sync::watch::channel(None);
        let (outcomes, mut seen) =
            tokio::sync::watch::channel::<Option<ronda_client::sync::Outcome>>(None);
        let store = Arc::new(tokio::sync::Mutex::new(store));
        let lang = ctx.lang;
        let json = ctx.json;
        tokio::spawn(async move {
            while seen.changed().await.is_ok() {
                let outcome = seen.borrow_and_update().clone();
                match outcome {
                    Some(Ok(summary)) if json => print_json(&summary),
                    Some(Ok(s)) => println!(
                        "{} {} / {}",
                        lang.pick("sinkron:", "synced:"),
                        s.ops_accepted,
                        s.reports_received
                    ),
                    Some(Err(e)) => eprintln!("{}", ronda_core::Coded::message(&*e, lang)),
                    None => {}
                }
            }
        });
        Schedule::default()
            .run(store, syncer, rx, progress, outcomes)
            .await;
    });
    Ok(())
}

pub fn status(ctx: &Ctx) -> Result<(), Failure> {
    let store = open(ctx)?;
    let session = store.session().map_err(Failure::store)?;
    let stats = store.stats().map_err(Failure::store)?;
    let rejected = store
        .outbox(Some(OutboxState::Rejected))
        .map_err(Failure::store)?;
    let photos = store.blobs_to_upload().map_err(Failure::store)?.len();
    if ctx.json {
        print_json(&json!({
            "session": session.as_ref().map(session_json),
            "waiting_ops": stats.outbox_pending,
            "rejected_ops": rejected,
            "photos_waiting": photos,
        }));
        return Ok(());
    }
    let lang = ctx.lang;
    match &session {
        None => println!(
            "{}",
            lang.pick(
                "Belum masuk ke server (laporan tetap tersimpan di HP).",
                "Not signed in (reports stay saved on this device)."
            )
        ),
        Some(s) => {
            println!(
                "{} {} — {}",
                lang.pick("Masuk sebagai", "Signed in as"),
                s.user_name,
                s.server_url
            );
            match s.last_sync_at {
                Some(t) => println!(
                    "{} {}",
                    lang.pick("Sinkron terakhir:", "Last sync:"),
                    t.display_wib(lang)
                ),
                None => println!("{}", lang.pick("Belum pernah sinkron.", "Never synced.")),
            }
        }
    }
    println!(
        "{} {}",
        lang.pick("Menunggu sinyal:", "Waiting for signal:"),
        stats.outbox_pending
    );
    println!(
        "{} {}",
        lang.pick("Foto belum terunggah:", "Photos not uploaded:"),
        photos
    );
    for r in &rejected {
        if let Some(why) = &r.rejection {
            println!(
                "{} {}: {} ({})",
                lang.pick("Ditolak", "Rejected"),
                r.op.body.subject(),
                why.message,
                why.code
            );
        }
    }
    Ok(())
}
