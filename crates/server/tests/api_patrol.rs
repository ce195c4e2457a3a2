//! The daily "nihil" check-in through the server: only the head of an RT or RW checks in for it,
//! once per day, never for a day to come; and it reaches those who follow the area, no one else.

mod common;

use chrono::Days;

use common::*;
use ronda_core::patrol::{CheckIn, Nihil, day_in_jakarta};
use ronda_core::sync::SyncRequest;
use ronda_core::{OpBody, Timestamp};

const OTHER_LURAH: &str = r#"{"role":"lurah","kelurahan":"31.71.01.1002"}"#;
const RW: &str = "31.71.01.1001/RW 003";

fn nihil_for(area_code: &str) -> Nihil {
    Nihil::new(area(area_code), Timestamp::now(), Some(location()))
}

fn check_in_op(nihil: &Nihil) -> ronda_core::Op {
    op_at(OpBody::Nihil(nihil.clone()), now_ms())
}

async fn check_ins(server: &TestServer, s: &Session, after: i64) -> (Vec<CheckIn>, i64) {
    let resp = server
        .sync(
            s,
            &SyncRequest {
                patrol_cursor: after,
                ..Default::default()
            },
        )
        .await;
    (resp.patrols, resp.patrol_cursor)
}

#[tokio::test]
async fn only_the_head_of_an_rt_or_rw_checks_in_for_it() {
    let server = TestServer::start().await;
    for (role, area_code, expected) in [
        (KETUA_RT, INSIDE, None),
        (KETUA_RW, RW, None),
        (
            KETUA_RT,
            "31.71.01.1001/RW 003/RT 008",
            Some("FORBIDDEN_ROLE"),
        ),
        (KETUA_RT, RW, Some("FORBIDDEN_ROLE")),
        (KETUA_RW, INSIDE, Some("FORBIDDEN_ROLE")),
        (WARGA, INSIDE, Some("FORBIDDEN_ROLE")),
        (LURAH, INSIDE, Some("FORBIDDEN_ROLE")),
        (CAMAT, INSIDE, Some("FORBIDDEN_ROLE")),
        (PETUGAS_SKPD, INSIDE, Some("FORBIDDEN_ROLE")),
        (ADMIN, INSIDE, Some("FORBIDDEN_ROLE")),
    ] {
        let s = server.person("Orang", role).await;
        let op = check_in_op(&nihil_for(area_code));
        let result = server.push_one(&s, op.clone()).await;
        match expected {
            None => assert_eq!(result, ronda_core::sync::OpResult::Accepted, "{role}"),
            Some(code) => {
                assert_rejected(&result, code);
                assert!(!server.op_recorded(op.id).await, "{role}: no trace");
            }
        }
    }
}

#[tokio::test]
async fn a_day_is_checked_in_once_and_never_ahead() {
    let server = TestServer::start().await;
    let rt = server.person("Pak RT", KETUA_RT).await;
    let lurah = server.person("Bu Lurah", LURAH).await;

    let mut ahead = nihil_for(INSIDE);
    ahead.day = day_in_jakarta(Timestamp::now())
        .checked_add_days(Days::new(2))
        .unwrap();
    let op = check_in_op(&ahead);
    assert_rejected(
        &server.push_one(&rt, op.clone()).await,
        "PATROL_DAY_IN_FUTURE",
    );
    assert!(!server.op_recorded(op.id).await);
    assert!(check_ins(&server, &lurah, 0).await.0.is_empty());

    // Checked in late (yesterday's patrol sent this morning) counts for yesterday.
    let mut yesterday = nihil_for(INSIDE);
    yesterday.day = day_in_jakarta(Timestamp::now())
        .checked_sub_days(Days::new(1))
        .unwrap();
    let today = nihil_for(INSIDE);
    let first = check_in_op(&today);
    let results = server
        .push(&rt, vec![check_in_op(&yesterday), first.clone()])
        .await;
    assert!(
        results
            .iter()
            .all(|r| *r == ronda_core::sync::OpResult::Accepted)
    );
    // A retry is a duplicate; a second check-in for the day changes nothing.
    assert_eq!(
        server.push_one(&rt, first).await,
        ronda_core::sync::OpResult::Duplicate
    );
    let again = nihil_for(INSIDE);
    assert_eq!(
        server.push_one(&rt, check_in_op(&again)).await,
        ronda_core::sync::OpResult::Accepted
    );

    let (seen, cursor) = check_ins(&server, &lurah, 0).await;
    let days: Vec<_> = seen.iter().map(|c| (c.nihil.id, c.nihil.day)).collect();
    assert_eq!(
        days,
        [(yesterday.id, yesterday.day), (today.id, today.day)],
        "one per day, the first"
    );
    assert!(seen.iter().all(|c| c.by == rt.user));
    assert_eq!(seen[1].nihil.position, today.position);
    assert!(cursor > 0);
    let (nothing_new, same) = check_ins(&server, &lurah, cursor).await;
    assert!(nothing_new.is_empty());
    assert_eq!(same, 0, "no cursor when nothing is new");
}

#[tokio::test]
async fn a_check_in_reaches_those_who_follow_its_area() {
    let server = TestServer::start().await;
    let rt = server.person("Pak RT", KETUA_RT).await;
    let nihil = nihil_for(INSIDE);
    assert_eq!(
        server.push_one(&rt, check_in_op(&nihil)).await,
        ronda_core::sync::OpResult::Accepted
    );
    for (role, sees) in [
        (KETUA_RT, true),
        (KETUA_RW, true),
        (LURAH, true),
        (CAMAT, true),
        (ADMIN, true),
        (OTHER_LURAH, false),
        (WARGA, false),
        (PETUGAS_SKPD, false),
        (r#"{"role":"ketua_rw","rw":"31.71.01.1001/RW 004"}"#, false),
        (r#"{"role":"camat","kecamatan":"31.71.02"}"#, false),
    ] {
        let s = server.person("Orang", role).await;
        let (seen, _) = check_ins(&server, &s, 0).await;
        let ids: Vec<_> = seen.iter().map(|c| c.nihil.id).collect();
        if sees {
            assert_eq!(ids, [nihil.id], "{role}");
        } else {
            assert!(ids.is_empty(), "{role}");
        }
    }
}
