//! A lurah creates accounts for the RT/RW heads of her kelurahan over the API; the code she
//! reads out over the phone signs their device in. Nobody else may create accounts beyond their
//! remit.

mod common;

use reqwest::StatusCode;
use serde_json::json;

use ronda_core::sync::SyncRequest;

use common::{ADMIN, CAMAT, KETUA_RT, LURAH, Session, TestServer, WARGA};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_are_created_within_the_creators_remit() {
    let server = TestServer::start().await;
    let lurah = server.person("Ibu Lurah", LURAH).await;
    let new_rt = json!({"name": "Pak Slamet", "roles": [{"role":"ketua_rt","rt":"31.71.01.1001/RW 005/RT 002"}]});
    let reply = common::Reply::of(
        server
            .post("/v1/users")
            .bearer_auth(&lurah.access)
            .json(&new_rt),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let code = reply.body["activation_code"].as_str().unwrap().to_owned();
    let signed = server.sign_in("Pak Slamet", &code).await;
    assert_eq!(
        signed.roles,
        vec![common::role(
            r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 005/RT 002"}"#
        )]
    );

    let elsewhere =
        json!({"name": "X", "roles": [{"role":"ketua_rt","rt":"31.71.01.1002/RW 001/RT 001"}]});
    let lurah_too = json!({"name": "X", "roles": [{"role":"lurah","kelurahan":"31.71.01.1001"}]});
    for body in [&elsewhere, &lurah_too] {
        common::Reply::of(
            server
                .post("/v1/users")
                .bearer_auth(&lurah.access)
                .json(body),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "FORBIDDEN_ROLE");
    }
    for role in [WARGA, KETUA_RT, CAMAT] {
        let someone = server.person("someone", role).await;
        common::Reply::of(
            server
                .post("/v1/users")
                .bearer_auth(&someone.access)
                .json(&new_rt),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "FORBIDDEN_ROLE");
    }
    let admin = server.person("Admin", ADMIN).await;
    let reply = common::Reply::of(
        server
            .post("/v1/users")
            .bearer_auth(&admin.access)
            .json(&lurah_too),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    for bad in [
        json!({"name": "  "}),
        json!({"name": "a\u{7}b"}),
        json!({"name": "x".repeat(121)}),
    ] {
        common::Reply::of(
            server
                .post("/v1/users")
                .bearer_auth(&admin.access)
                .json(&bad),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "ACCOUNT_NAME_INVALID");
    }
    common::Reply::of(server.post("/v1/users").json(&new_rt))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "TOKEN_MISSING");
    // A resident made by a lurah with no roles given is a warga.
    let reply = common::Reply::of(
        server
            .post("/v1/users")
            .bearer_auth(&lurah.access)
            .json(&json!({"name": "Rina"})),
    )
    .await;
    let rina = server
        .sign_in("Rina", reply.body["activation_code"].as_str().unwrap())
        .await;
    assert_eq!(rina.roles, vec![common::role(WARGA)]);
}

/// A device that syncs regularly never needs a round trip for a token: a sync made with one near
/// its end carries a fresh one back — but never to a device that was revoked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_near_its_end_is_renewed_in_the_sync_answer_unless_revoked() {
    let server = TestServer::start().await;
    let rt = server.person("Pak Budi", KETUA_RT).await;
    let now = || ronda_core::Timestamp::now().millis();
    let noop = SyncRequest {
        ops: vec![],
        cursors: Default::default(),
        ..Default::default()
    };

    let fresh = server.sync(&rt, &noop).await;
    assert_eq!(fresh.access, None, "a fresh token is not renewed");

    let ending = Session {
        access: server.key.issue(rt.user, rt.device, now() + 5 * 60 * 1000),
        ..rt.clone()
    };
    let renewed = server
        .sync(&ending, &noop)
        .await
        .access
        .expect("a token with five minutes left is renewed");
    let left = renewed.expires_at - now();
    assert!(
        (55 * 60 * 1000..=60 * 60 * 1000).contains(&left),
        "the new token lives an hour: {left} ms"
    );
    let with_new = Session {
        access: renewed.token,
        ..rt.clone()
    };
    assert_eq!(server.sync(&with_new, &noop).await.access, None);

    let revoke = server
        .post("/v1/auth/revoke")
        .bearer_auth(&ending.access)
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), 204);
    assert_eq!(
        server.sync(&ending, &noop).await.access,
        None,
        "a revoked device's token runs out and is not renewed"
    );
}
