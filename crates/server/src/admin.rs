//! What an operator does from the command line: add people with activation codes, and fill a
//! server with demo data. Everything goes through the same storage and sync logic as the API.

use ronda_core::audit::AuditRatings;
use ronda_core::authz::Actor;
use ronda_core::hlc::Hlc;
use ronda_core::{
    Accuracy, Coordinate, Description, DeviceId, Lang, Location, LocationSource, NewReport, Op,
    OpBody, ReportId, ReportKind, RoleAssignment, Timestamp, UserId,
};

use crate::auth;
use crate::storage::{Activation, Device, Storage, StorageError, User};

/// Safety audits for the demo's safety map: four corners of Gambir audited on the last few days
/// and nights (enough at each for a cell to show), and six unsafe-place flags at one of them.
fn demo_audits(now: Timestamp) -> Vec<NewReport> {
    const DAY_MS: i64 = 86_400_000;
    /// A corner, the RT it lies in, and how it rates by day and by night (rasa aman last).
    struct Corner {
        lat: f64,
        lon: f64,
        rt: &'static str,
        by_day: [u8; 9],
        by_night: [u8; 9],
    }
    const CORNERS: [Corner; 4] = [
        Corner {
            lat: -6.17540,
            lon: 106.82720,
            rt: "31.71.01.1001/RW 003/RT 007",
            by_day: [3, 3, 3, 3, 2, 3, 3, 3, 3],
            by_night: [2, 3, 2, 2, 1, 3, 2, 2, 2],
        },
        Corner {
            lat: -6.17880,
            lon: 106.82050,
            rt: "31.71.01.1001/RW 002/RT 003",
            by_day: [2, 2, 3, 2, 1, 2, 3, 2, 2],
            by_night: [1, 1, 1, 1, 0, 1, 2, 0, 1],
        },
        Corner {
            lat: -6.16980,
            lon: 106.81620,
            rt: "31.71.01.1001/RW 005/RT 001",
            by_day: [2, 1, 2, 1, 1, 0, 1, 1, 1],
            by_night: [0, 1, 0, 0, 0, 0, 1, 0, 0],
        },
        Corner {
            lat: -6.18240,
            lon: 106.83060,
            rt: "31.71.01.1001/RW 001/RT 004",
            by_day: [3, 2, 2, 3, 3, 2, 3, 3, 3],
            by_night: [2, 2, 2, 2, 3, 2, 2, 2, 2],
        },
    ];
    let today = now.millis().div_euclid(DAY_MS);
    let at = |days_ago: i64, utc_hour: i64| {
        Timestamp::from_millis((today - days_ago) * DAY_MS + utc_hour * 3_600_000)
            .expect("a recent time")
    };
    let report = |kind, category, lat: f64, lon: f64, area: &str, made_at| {
        let location = Location {
            coord: Coordinate::new(lat, lon).expect("demo coordinates are valid"),
            accuracy_m: Accuracy::metres(8.0).expect("valid"),
            source: LocationSource::Gps,
            captured_at: made_at,
        };
        NewReport::with_id(ReportId::new(), kind, category, location, made_at)
            .expect("demo categories are valid")
            .in_area(Some(area.parse().expect("demo areas are valid")))
    };
    let mut out = Vec::new();
    for Corner {
        lat,
        lon,
        rt: area,
        by_day,
        by_night,
    } in CORNERS
    {
        for walk in 0..4i64 {
            // A few metres apart, as people stand; one rating either side of the corner's.
            let (dlat, dlon) = (walk as f64 * 0.00002, walk as f64 * -0.00001);
            for (ratings, utc_hour) in [(by_day, 3), (by_night, 14)] {
                let nudged = ratings.map(|r| match walk {
                    1 => r.saturating_sub(1),
                    2 => (r + 1).min(3),
                    _ => r,
                });
                let audit = report(
                    ReportKind::Audit,
                    "audit-keamanan",
                    lat + dlat,
                    lon + dlon,
                    area,
                    at(walk + 1, utc_hour),
                )
                .rate(AuditRatings::from_values(nudged).expect("ratings 0 to 3"))
                .expect("an audit takes ratings");
                out.push(audit);
            }
        }
    }
    let Corner { lat, lon, rt, .. } = CORNERS[2];
    for i in 0..6i64 {
        out.push(report(
            ReportKind::Rawan,
            "lokasi-sepi-gelap",
            lat + i as f64 * 0.00003,
            lon,
            rt,
            at(i + 1, 14),
        ));
    }
    out
}

/// Adds a person with their roles and returns their one-time activation code.
pub async fn add_user<S: Storage>(
    storage: &S,
    name: &str,
    assignments: Vec<RoleAssignment>,
) -> Result<(UserId, String), StorageError> {
    let user = User {
        id: UserId::new(),
        name: name.trim().to_owned(),
    };
    let id = user.id;
    storage
        .write(move |tx| tx.insert_user(&user, &assignments))
        .await?;
    let code = new_code(storage, id).await?;
    Ok((id, code))
}

/// A fresh activation code for an existing person (the old ones stay valid until used).
pub async fn new_code<S: Storage>(storage: &S, user: UserId) -> Result<String, StorageError> {
    loop {
        let (code, code_id, secret_hash) = tokio::task::spawn_blocking(auth::new_activation_code)
            .await
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        let activation = Activation {
            code_id,
            user,
            secret_hash,
            expires_at_ms: Timestamp::now().millis() + auth::ACTIVATION_TTL_MS,
            used: false,
            failures: 0,
        };
        match storage
            .write(move |tx| tx.insert_activation(&activation))
            .await
        {
            // The public half is short; on the rare clash, draw again.
            Err(StorageError::Conflict(_)) => continue,
            other => return other.map(|()| code),
        }
    }
}

/// Demo people: one of every role, in Kelurahan Gambir (31.71.01.1001) and around it.
pub fn demo_people() -> Vec<(&'static str, Vec<RoleAssignment>)> {
    let parse = |s: &str| serde_json::from_str::<RoleAssignment>(s).expect("demo roles are valid");
    vec![
        (
            "Pak Budi (Ketua RT 007/003)",
            vec![parse(
                r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#,
            )],
        ),
        (
            "Bu Siti (Ketua RW 003)",
            vec![parse(r#"{"role":"ketua_rw","rw":"31.71.01.1001/RW 003"}"#)],
        ),
        (
            "Ibu Lurah Gambir",
            vec![parse(r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#)],
        ),
        (
            "Pak Camat Gambir",
            vec![parse(r#"{"role":"camat","kecamatan":"31.71.01"}"#)],
        ),
        (
            "Petugas Bina Marga Jakarta Pusat",
            vec![parse(
                r#"{"role":"petugas_skpd","agency":"bina_marga","areas":["31.71"]}"#,
            )],
        ),
        (
            "Admin Provinsi",
            vec![parse(r#"{"role":"admin","provinsi":"31"}"#)],
        ),
        ("Rina (warga)", vec![RoleAssignment::Warga]),
    ]
}

const DEMO_REPORTS: &[(&str, f64, f64, &str, &str)] = &[
    (
        "jalan-rusak",
        -6.17612,
        106.82301,
        "31.71.01.1001/RW 003/RT 007",
        "Jalan berlubang besar di depan pos ronda, motor sering terjatuh kalau malam.",
    ),
    (
        "pju-mati",
        -6.17790,
        106.82950,
        "31.71.01.1001/RW 003/RT 007",
        "Tiga lampu PJU mati sejak minggu lalu, gang jadi gelap.",
    ),
    (
        "saluran-tersumbat",
        -6.17530,
        106.82420,
        "31.71.01.1001/RW 003/RT 007",
        "Got tersumbat sampah plastik, air meluap ke jalan kalau hujan.",
    ),
    (
        "sampah-menumpuk",
        -6.17690,
        106.82180,
        "31.71.01.1001/RW 003/RT 007",
        "Sampah menumpuk di pojok gang sudah 4 hari belum diangkut.",
    ),
    (
        "pohon-tumbang",
        -6.17450,
        106.82700,
        "31.71.01.1001/RW 003/RT 007",
        "Pohon angsana miring, rawan tumbang ke kabel listrik.",
    ),
];

/// Fills a server with demo people and reports. Returns each person's name and activation code.
pub async fn demo<S: Storage>(storage: &S) -> Result<Vec<(String, String)>, StorageError> {
    let mut codes = Vec::new();
    let mut rt_head = None;
    for (name, roles) in demo_people() {
        let (id, code) = add_user(storage, name, roles.clone()).await?;
        if rt_head.is_none() {
            rt_head = Some(Actor {
                user: id,
                assignments: roles,
            });
        }
        codes.push((name.to_owned(), code));
    }
    let actor = rt_head.expect("the demo has an RT head");
    let device = Device {
        id: DeviceId::new(),
        user: actor.user,
        name: "demo".into(),
        revoked: false,
    };
    let now = Timestamp::now();
    let mut reports: Vec<NewReport> = DEMO_REPORTS
        .iter()
        .map(|(category, lat, lon, area, text)| {
            let location = Location {
                coord: Coordinate::new(*lat, *lon).expect("demo coordinates are valid"),
                accuracy_m: Accuracy::metres(8.0).expect("valid"),
                source: LocationSource::Gps,
                captured_at: now,
            };
            NewReport::new(ReportKind::Laporan, category, location)
                .expect("demo categories are valid")
                .describe(Some(
                    Description::parse(text).expect("demo texts are valid"),
                ))
                .in_area(Some(area.parse().expect("demo areas are valid")))
        })
        .collect();
    reports.extend(demo_audits(now));
    let ops: Vec<Op> = reports
        .into_iter()
        .enumerate()
        .map(|(i, report)| {
            Op::new(
                OpBody::CreateReport(report),
                Hlc {
                    ms: now.millis(),
                    n: i as u32,
                },
            )
        })
        .collect();
    let (refresh, _) = auth::new_refresh_token();
    let hash = auth::refresh_hash(&refresh);
    // The demo files its reports where its data says.
    let rules = crate::sync::Rules::default();
    storage
        .write(move |tx| {
            tx.insert_device(&device, &hash)?;
            for op in &ops {
                crate::sync::apply_op(tx, &rules, &actor, device.id, op, now, Lang::Id)?;
            }
            Ok(())
        })
        .await?;
    Ok(codes)
}
