//! A lurah creates accounts for the RT/RW heads of her kelurahan over the API; the code she
//! reads out over the phone signs their device in. Nobody else may create accounts beyond their
//! remit.

mod common;

use reqwest::StatusCode;
use serde_json::json;

use common::{ADMIN, CAMAT, KETUA_RT, LURAH, TestServer, WARGA};

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
