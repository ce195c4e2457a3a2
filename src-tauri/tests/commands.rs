//! The commands through Tauri's IPC, as the UI calls them: a mock runtime, the app's real
//! capabilities (compiled in by the build script), and a real store in a temporary folder.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::http::{HeaderMap, HeaderValue};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

use ronda_app_lib::{AppData, COMMANDS, Dirs, SYNC_PROGRESS_EVENT};

struct TestApp {
    app: App<MockRuntime>,
    main: WebviewWindow<MockRuntime>,
    dirs: Dirs,
}

fn dirs(root: &Path) -> Dirs {
    Dirs {
        data: root.join("data"),
        config: root.join("config"),
    }
}

impl TestApp {
    /// The app as `run` builds it, its state in `root`.
    fn new(root: &Path) -> Self {
        let app = ronda_app_lib::builder(mock_builder())
            .build(ronda_app_lib::context())
            .expect("the app builds");
        let dirs = dirs(root);
        ronda_app_lib::install(app.handle(), dirs.clone());
        let main = window(&app, "main");
        Self { app, main, dirs }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.main, cmd, InvokeBody::Json(args), HeaderMap::new())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed, answered {v}"),
            Err(e) => e,
        }
    }

    fn attach(&self, report: &str, file_name: &str, bytes: Vec<u8>) -> Result<Value, Value> {
        let mut headers = HeaderMap::new();
        headers.insert("x-report-id", HeaderValue::from_str(report).unwrap());
        headers.insert("x-file-name", HeaderValue::from_str(file_name).unwrap());
        invoke(&self.main, "attach_photo", InvokeBody::Raw(bytes), headers)
    }

    fn create(&self, lat: f64, lon: f64, category: &str) -> String {
        let created = self.ok(
            "create_report",
            json!({ "draft": draft(lat, lon, category) }),
        );
        created["id"].as_str().unwrap().to_owned()
    }
}

fn window(app: &App<MockRuntime>, label: &str) -> WebviewWindow<MockRuntime> {
    WebviewWindowBuilder::new(app, label, WebviewUrl::default())
        .build()
        .expect("a mock window")
}

fn invoke(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: HeaderMap,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("JSON answer"))
}

fn draft(lat: f64, lon: f64, category: &str) -> Value {
    json!({
        "kind": "laporan",
        "category": category,
        "lat": lat,
        "lon": lon,
        "accuracyM": 8.0,
        "source": "gps",
        "capturedAt": 1_796_000_000_000_i64,
        "description": "  Jalan berlubang di depan pos ronda  ",
    })
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A command error as the contract has it: `{code, message, count}`.
fn code_of(e: &Value) -> &str {
    assert!(e["message"].is_string(), "not a CommandError: {e}");
    assert!(e.get("count").is_some(), "no count: {e}");
    e["code"].as_str().expect("a code")
}

const MONAS: (f64, f64) = (-6.1754, 106.8272);

#[test]
fn app_state_starts_with_nobody_and_use_without_account_is_remembered() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let s = t.ok("app_state", json!({}));
    assert_eq!(s["account"], json!({"kind": "none"}));
    assert_eq!(s["pendingOps"], 0);
    assert_eq!(s["lastSyncAt"], Value::Null);
    assert_eq!(s["largeText"], false);

    let s = t.ok("use_without_account", json!({}));
    assert_eq!(s["account"], json!({"kind": "local"}));
    let s = t.ok("set_settings", json!({"lang": "en", "largeText": true}));
    assert_eq!(
        (s["lang"].as_str(), s["largeText"].as_bool()),
        (Some("en"), Some(true))
    );
    drop(t);

    // The next start finds the same choices.
    let t = TestApp::new(root.path());
    let s = t.ok("app_state", json!({}));
    assert_eq!(s["account"], json!({"kind": "local"}));
    assert_eq!(
        (s["lang"].as_str(), s["largeText"].as_bool()),
        (Some("en"), Some(true))
    );
    assert!(t.dirs.config.join("settings.json").is_file());
}

#[test]
fn categories_are_the_catalogue_in_order() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let list = t.ok("categories", json!({}));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), ronda_core::category::CATALOGUE.len());
    for (got, want) in list.iter().zip(ronda_core::category::CATALOGUE) {
        assert_eq!(got["code"], want.code);
        assert_eq!(got["nameId"], want.name_id);
        assert_eq!(got["nameEn"], want.name_en);
        assert_eq!(got["emergency"], want.emergency);
        assert_eq!(got["icon"], want.icon);
        let kinds: Vec<&str> = want.kinds.iter().map(|k| k.code()).collect();
        assert_eq!(got["kinds"], json!(kinds));
    }
    let road = list.iter().find(|c| c["code"] == "jalan-rusak").unwrap();
    assert_eq!(road["kinds"], json!(["laporan", "rawan"]));
}

#[test]
fn a_report_is_saved_with_its_op_and_listed_as_mine() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    t.ok("use_without_account", json!({}));
    let first = t.create(MONAS.0, MONAS.1, "jalan-rusak");
    let second = t.create(MONAS.0 + 0.001, MONAS.1, "sampah-menumpuk");
    assert_eq!(t.ok("app_state", json!({}))["pendingOps"], 2);

    let mine = t.ok("my_reports", json!({}));
    let mine = mine.as_array().unwrap();
    let ids: Vec<&str> = mine.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [second.as_str(), first.as_str()], "newest first");
    let r = &mine[1];
    assert_eq!(r["category"], "jalan-rusak");
    assert_eq!(r["kind"], "laporan");
    assert_eq!(r["status"], "baru");
    assert_eq!(r["description"], "Jalan berlubang di depan pos ronda");
    assert_eq!(r["sync"], "savedOnDevice");
    assert_eq!(r["rejection"], Value::Null);
    assert_eq!(
        (
            r["photosTotalBytes"].as_u64(),
            r["photosSentBytes"].as_u64()
        ),
        (Some(0), Some(0))
    );

    let detail = t.ok("report_detail", json!({ "id": first }));
    assert_eq!(detail["lat"], MONAS.0);
    assert_eq!(detail["accuracyM"], 8.0);
    assert_eq!(detail["source"], "gps");
    assert_eq!(detail["photos"], json!([]));
    let whats: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, ["created"]);
}

#[test]
fn a_point_picked_on_the_map_has_no_accuracy_and_bad_input_is_refused_in_the_session_language() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let mut picked = draft(MONAS.0, MONAS.1, "pju-mati");
    picked["accuracyM"] = Value::Null;
    picked["source"] = json!("map_pick");
    picked["description"] = Value::Null;
    let id = t.ok("create_report", json!({ "draft": picked }))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = t.ok("report_detail", json!({ "id": id }));
    assert_eq!(detail["accuracyM"], Value::Null);
    assert_eq!(detail["source"], "map_pick");
    assert_eq!(detail["description"], Value::Null);

    t.ok("set_settings", json!({"lang": "id", "largeText": false}));
    let e = t.err(
        "create_report",
        json!({ "draft": draft(0.0, 0.0, "jalan-rusak") }),
    );
    assert_eq!(code_of(&e), "LOCATION_NULL_ISLAND");
    assert_eq!(e["count"], Value::Null);
    let in_indonesian = e["message"].as_str().unwrap().to_owned();
    t.ok("set_settings", json!({"lang": "en", "largeText": false}));
    let e = t.err(
        "create_report",
        json!({ "draft": draft(0.0, 0.0, "jalan-rusak") }),
    );
    assert_ne!(e["message"].as_str().unwrap(), in_indonesian);

    let e = t.err(
        "create_report",
        json!({ "draft": draft(MONAS.0, MONAS.1, "ufo") }),
    );
    assert_eq!(code_of(&e), "CATEGORY_UNKNOWN");
    let e = t.err(
        "report_detail",
        json!({ "id": ronda_core::ReportId::new().to_string() }),
    );
    assert_eq!(code_of(&e), "REPORT_NOT_FOUND");
    assert_eq!(
        t.ok("app_state", json!({}))["pendingOps"],
        1,
        "nothing refused was saved"
    );
}

#[test]
fn reports_in_view_and_nearby_open_read_the_local_store() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let near = t.create(MONAS.0, MONAS.1, "jalan-rusak");
    let close = t.create(MONAS.0 + 0.0005, MONAS.1, "jalan-rusak");
    let other_kind = t.create(MONAS.0, MONAS.1 + 0.0003, "sampah-menumpuk");
    let far = t.create(-6.30, 106.90, "jalan-rusak");

    let view = json!({"south": -6.2, "west": 106.8, "north": -6.15, "east": 106.85, "limit": 100});
    let pins = t.ok("reports_in_view", view.clone());
    let mut ids: Vec<&str> = pins
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut want = vec![near.as_str(), close.as_str(), other_kind.as_str()];
    want.sort();
    assert_eq!(ids, want);
    assert!(!ids.contains(&far.as_str()));
    let pin = pins
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == near.as_str())
        .unwrap();
    assert_eq!(
        (
            pin["kind"].as_str(),
            pin["status"].as_str(),
            pin["category"].as_str()
        ),
        (Some("laporan"), Some("baru"), Some("jalan-rusak"))
    );
    assert_eq!(pin["lat"], MONAS.0);

    // Cut to the newest.
    let mut one = view.clone();
    one["limit"] = json!(1);
    let pins = t.ok("reports_in_view", one);
    assert_eq!(pins.as_array().unwrap().len(), 1);
    assert_eq!(pins[0]["id"], other_kind.as_str());

    let nearby = t.ok(
        "nearby_open",
        json!({"lat": MONAS.0, "lon": MONAS.1, "category": "jalan-rusak", "radiusM": 150.0}),
    );
    let nearby = nearby.as_array().unwrap();
    let ids: Vec<&str> = nearby.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [near.as_str(), close.as_str()],
        "same category, nearest first"
    );
    assert!(nearby[0]["distanceM"].as_f64().unwrap() < 1.0);
    assert!((nearby[1]["distanceM"].as_f64().unwrap() - 55.6).abs() < 1.0);
    assert_eq!(nearby[0]["status"], "baru");

    let e = t.err(
        "reports_in_view",
        json!({"south": -6.1, "west": 106.8, "north": -6.2, "east": 106.85, "limit": 10}),
    );
    assert_eq!(code_of(&e), "LOCATION_BBOX_INVERTED");
}

#[test]
fn photos_are_shrunk_and_added_to_a_report_not_yet_sent() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let id = t.create(MONAS.0, MONAS.1, "jalan-rusak");
    let photo = jpeg(2000, 1500);
    assert_eq!(
        t.attach(&id, "foto%20jalan.jpg", photo.clone()),
        Ok(Value::Null)
    );
    // The same photo again changes nothing: a retry is harmless.
    assert_eq!(t.attach(&id, "foto%20jalan.jpg", photo), Ok(Value::Null));

    let detail = t.ok("report_detail", json!({ "id": id }));
    let photos = detail["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(
        (photos[0]["width"].as_u64(), photos[0]["height"].as_u64()),
        (Some(1600), Some(1200))
    );
    assert_eq!(photos[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(
        photos[0]["dataUrl"]
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,/9j/")
    );
    let whats: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, ["created", "photo"]);

    let mine = t.ok("my_reports", json!({}));
    let total = mine[0]["photosTotalBytes"].as_u64().unwrap();
    assert!(total > 0);
    assert_eq!(mine[0]["photosSentBytes"], 0);

    let e = t
        .attach(&id, "catatan.txt", b"bukan foto".to_vec())
        .unwrap_err();
    assert_eq!(code_of(&e), "PHOTO_NOT_AN_IMAGE");
    assert!(e["message"].as_str().unwrap().starts_with("catatan.txt: "));
    let e = t
        .attach(
            &ronda_core::ReportId::new().to_string(),
            "a.jpg",
            jpeg(40, 30),
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "REPORT_NOT_FOUND");
    // Not a raw body: the contract's form is the bytes themselves.
    let e = t.err("attach_photo", json!({"reportId": id}));
    assert_eq!(code_of(&e), "IPC_BAD_REQUEST");

    // At most eight photos.
    for n in 0..7 {
        assert_eq!(t.attach(&id, "p.jpg", jpeg(60 + n, 40)), Ok(Value::Null));
    }
    let e = t.attach(&id, "p.jpg", jpeg(90, 40)).unwrap_err();
    assert_eq!(code_of(&e), "REPORT_TOO_MANY_PHOTOS");
    let detail = t.ok("report_detail", json!({ "id": id }));
    assert_eq!(detail["photos"].as_array().unwrap().len(), 8);
}

#[test]
fn sign_out_refuses_while_work_is_unsent_unless_forced() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    t.ok("use_without_account", json!({}));
    t.create(MONAS.0, MONAS.1, "jalan-rusak");
    t.create(MONAS.0, MONAS.1 + 0.001, "jalan-rusak");

    let e = t.err("sign_out", json!({"force": false}));
    assert_eq!(code_of(&e), "UNSENT_WORK");
    assert_eq!(e["count"], 2);
    assert_eq!(t.ok("app_state", json!({}))["account"]["kind"], "local");
    assert_eq!(t.ok("my_reports", json!({})).as_array().unwrap().len(), 2);

    let s = t.ok("sign_out", json!({"force": true}));
    assert_eq!(s["account"], json!({"kind": "none"}));
    assert_eq!(s["pendingOps"], 0);
    assert_eq!(t.ok("my_reports", json!({})), json!([]));
}

#[test]
fn without_an_account_there_is_no_outline_sync_or_server() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    assert_eq!(t.ok("kelurahan_outline", json!({})), Value::Null);
    let e = t.err("sync_now", json!({}));
    assert_eq!(code_of(&e), "SYNC_NOT_SIGNED_IN");
    let e = t.err("set_server", json!({"server": "https://ronda.example.org"}));
    assert_eq!(code_of(&e), "SYNC_NOT_SIGNED_IN");
    let e = t.err("set_server", json!({"server": "ftp://ronda.example.org"}));
    assert_eq!(code_of(&e), "SYNC_BAD_SERVER_URL");
}

#[test]
fn a_window_without_the_capability_cannot_call_any_command() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let other = window(&t.app, "other");
    for cmd in [
        "app_state",
        "categories",
        "my_reports",
        "sign_out",
        "act",
        "support",
        "kabar",
        "field_queue",
        "patrol",
        "check_in_nihil",
    ] {
        let refused = invoke(
            &other,
            cmd,
            InvokeBody::Json(json!({"force": true})),
            HeaderMap::new(),
        )
        .expect_err("the other window is not granted anything");
        let why = refused.as_str().unwrap_or_default();
        assert!(why.contains("not allowed"), "{cmd}: {refused}");
    }
    // The same calls from the main window go through.
    assert!(t.call("app_state", json!({})).is_ok());
    assert!(t.call("categories", json!({})).is_ok());
}

#[test]
fn every_listed_command_is_registered_and_granted_to_main() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    for cmd in COMMANDS {
        if let Err(e) = t.call(cmd, json!({})) {
            // Missing arguments are fine here; an unknown or forbidden command is not.
            let text = e.to_string();
            assert!(
                !text.contains("not found") && !text.contains("not allowed"),
                "{cmd}: {text}"
            );
        }
    }
    let e = t.call("no_such_command", json!({})).unwrap_err();
    assert!(e.to_string().contains("not"), "{e}");
}

/// Starts the real Ronda server on a loopback port, on a runtime of its own.
struct Server {
    runtime: tokio::runtime::Runtime,
    url: String,
    storage: ronda_server::storage::sqlite::SqliteStorage,
}

impl Server {
    fn start(data: PathBuf) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (url, storage) = runtime.block_on(async {
            use ronda_server::http;
            let storage =
                ronda_server::storage::sqlite::SqliteStorage::open(data.join("ronda.db")).unwrap();
            let uploads = ronda_server::uploads::UploadConfig {
                uploads_dir: data.join("uploads"),
                blobs_dir: data.join("blobs"),
                max_upload_bytes: 10 << 20,
            };
            let state = http::AppState::new(
                storage.clone(),
                ronda_server::auth::TokenKey::random(),
                // The tests look at the safety layer right after each change.
                ronda_server::config::Limits {
                    safety_layer_refresh_secs: 0,
                    ..Default::default()
                },
            );
            let router = http::router(state, uploads);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(async move { http::serve(listener, router).await.unwrap() });
            (url, storage)
        });
        Self {
            runtime,
            url,
            storage,
        }
    }

    fn code(&self, name: &str, role: &str) -> String {
        let role: ronda_core::RoleAssignment = serde_json::from_str(role).unwrap();
        self.runtime
            .block_on(ronda_server::admin::add_user(
                &self.storage,
                name,
                vec![role],
            ))
            .unwrap()
            .1
    }
}

#[test]
fn sign_in_report_with_a_photo_and_sync_with_progress_events() {
    let root = tempfile::tempdir().unwrap();
    let server = Server::start(root.path().join("server"));
    let code = server.code(
        "Pak RT",
        r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#,
    );
    let t = TestApp::new(&root.path().join("phone"));
    // Made before signing in: it goes with the first sync under the new account.
    t.ok("use_without_account", json!({}));
    let id = t.create(MONAS.0, MONAS.1, "jalan-rusak");
    assert_eq!(t.attach(&id, "bukti.jpg", jpeg(1200, 900)), Ok(Value::Null));

    let e = t.err(
        "activate",
        json!({"server": server.url, "code": "AAAA-BBBB-CCCC"}),
    );
    assert_eq!(code_of(&e), "ACTIVATION_CODE_INVALID");
    let s = t.ok(
        "activate",
        json!({"server": format!("{}/", server.url), "code": code}),
    );
    assert_eq!(
        s["account"],
        json!({"kind": "signedIn", "server": server.url, "userName": "Pak RT",
               "role": "ketua_rt", "area": "31.71.01.1001/RW 003/RT 007"})
    );
    assert_eq!(s["pendingOps"], 1);
    assert_eq!(t.ok("my_reports", json!({}))[0]["sync"], "waitingForSignal");
    let e = t.err("sign_out", json!({"force": false}));
    assert_eq!((code_of(&e), e["count"].as_u64()), ("UNSENT_WORK", Some(1)));

    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = seen.clone();
    t.app.listen_any(SYNC_PROGRESS_EVENT, move |event| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(event.payload()).unwrap());
    });
    let outcome = t.ok("sync_now", json!({}));
    assert_eq!(outcome["ok"], true, "{outcome}");
    assert_eq!(outcome["sent"], 1);
    assert_eq!(outcome["error"], Value::Null);
    let events = seen.lock().unwrap().clone();
    let phases: Vec<&str> = events
        .iter()
        .map(|e| e["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases.last(), Some(&"done"), "{phases:?}");
    assert!(
        phases.contains(&"photos") && phases.contains(&"push"),
        "{phases:?}"
    );
    assert!(events.last().unwrap()["bytesSent"].as_u64().unwrap() > 0);
    assert_eq!(events.last().unwrap()["opsSent"], 1);

    let s = t.ok("app_state", json!({}));
    assert_eq!(s["pendingOps"], 0);
    assert!(s["lastSyncAt"].as_i64().unwrap() > 0);
    let mine = t.ok("my_reports", json!({}));
    assert_eq!(mine[0]["sync"], "sent");
    assert_eq!(mine[0]["photosSentBytes"], mine[0]["photosTotalBytes"]);
    let detail = t.ok("report_detail", json!({ "id": id }));
    let whats: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, ["created", "photo", "sent"]);
    // Sent: the report is on the server as it was, so it takes no more photos.
    let e = t.attach(&id, "lagi.jpg", jpeg(300, 200)).unwrap_err();
    assert_eq!(code_of(&e), "REPORT_ALREADY_SENT");

    // Made while signed in: it belongs to the RT its maker heads, so that RT's officials get it.
    assert_eq!(
        detail["area"],
        Value::Null,
        "made before there was an account"
    );
    let placed = t.create(MONAS.0, MONAS.1, "sampah-menumpuk");
    let detail = t.ok("report_detail", json!({ "id": placed }));
    assert_eq!(detail["area"], "31.71.01.1001/RW 003/RT 007");
    assert_eq!(t.ok("sync_now", json!({}))["sent"], 1);

    let s = t.ok("set_server", json!({"server": format!("{}/", server.url)}));
    assert_eq!(s["account"]["server"], server.url.as_str());
    let s = t.ok("sign_out", json!({"force": false}));
    assert_eq!(s["account"], json!({"kind": "none"}));
    assert_eq!(t.ok("my_reports", json!({})), json!([]));
}

#[test]
fn saving_a_report_and_adding_its_photos_hold_the_background_sync_back() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let state = t.app.state::<AppData>();
    assert_eq!(
        state.quiet_for(),
        std::time::Duration::MAX,
        "nothing edited yet"
    );
    t.ok("use_without_account", json!({}));
    let id = t.create(MONAS.0, MONAS.1, "jalan-rusak");
    assert!(state.quiet_for() < std::time::Duration::from_secs(5));
    std::thread::sleep(std::time::Duration::from_millis(200));
    let before_photo = state.quiet_for();
    assert_eq!(t.attach(&id, "bukti.jpg", jpeg(800, 600)), Ok(Value::Null));
    assert!(
        state.quiet_for() < before_photo,
        "adding a photo counts as editing"
    );
}

fn step_at(lat: f64, lon: f64) -> Value {
    json!({"lat": lat, "lon": lon, "accuracyM": 10.0, "capturedAt": 1_796_000_000_000_i64})
}

/// `act`'s arguments: the ones a step does not use are null.
fn act_args(report: &str, role: &str, action: &str, extra: Value) -> Value {
    let mut args = json!({
        "report": report, "role": role, "action": action, "reason": null, "agency": null,
        "original": null, "note": null, "position": null, "photo": null,
    });
    for (k, v) in extra.as_object().unwrap() {
        args[k] = v.clone();
    }
    args
}

#[test]
fn without_an_account_a_report_has_a_lifecycle_but_offers_nothing() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    t.ok("use_without_account", json!({}));
    let id = t.create(MONAS.0, MONAS.1, "jalan-rusak");
    let l = t.ok("report_lifecycle", json!({ "id": id }));
    assert_eq!(l["status"], "baru");
    assert_eq!(l["history"], json!([]));
    assert_eq!(l["offered"], json!([]));
    assert_eq!(
        (l["canSupport"].as_bool(), l["supporting"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(l["sla"]["step"], "verify");
    assert_eq!(l["sla"]["flag"], "on_time");
    assert!(l["sla"]["deadline"].as_i64().unwrap() > 0);

    let e = t.err("support", json!({ "report": id }));
    assert_eq!(code_of(&e), "SIGNED_OUT");
    let e = t.err("act", act_args(&id, "lurah", "verify", json!({})));
    assert_eq!(code_of(&e), "SIGNED_OUT");
    let e = t.err("field_queue", json!({"lat": MONAS.0, "lon": MONAS.1}));
    assert_eq!(code_of(&e), "SIGNED_OUT");
    let k = t.ok("kabar", json!({}));
    assert_eq!(
        k,
        json!({"news": [], "unread": 0, "waiting": [], "dueSoon": 0, "overdue": 0})
    );
    assert_eq!(t.ok("mark_kabar_read", json!({})), Value::Null);
    let agencies = t.ok("agencies", json!({}));
    assert_eq!(agencies.as_array().unwrap().len(), 13);
    assert_eq!(agencies[0]["code"], "bina_marga");
    assert_eq!(agencies[0]["nameId"], "Dinas Bina Marga");
    assert_eq!(t.ok("app_state", json!({}))["pendingOps"], 1);
}

/// A real server with an RT head of Gambir and its lurah, and the RT head's app (not yet
/// signed in).
struct Neighbourhood {
    root: tempfile::TempDir,
    server: Server,
    rt_code: String,
    lurah_code: String,
    rt: TestApp,
}

impl Neighbourhood {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let server = Server::start(root.path().join("server"));
        let rt_code = server.code(
            "Pak RT",
            r#"{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}"#,
        );
        let lurah_code = server.code(
            "Bu Lurah",
            r#"{"role":"lurah","kelurahan":"31.71.01.1001"}"#,
        );
        let rt = TestApp::new(&root.path().join("rt"));
        Self {
            root,
            server,
            rt_code,
            lurah_code,
            rt,
        }
    }
}

#[test]
fn a_lurah_verifies_hands_over_and_resolves_and_the_reporter_hears_of_it() {
    let Neighbourhood {
        root,
        server,
        rt_code,
        lurah_code,
        rt,
    } = Neighbourhood::new();
    rt.ok("activate", json!({"server": server.url, "code": rt_code}));
    let id = rt.create(MONAS.0, MONAS.1, "jalan-rusak");
    assert_eq!(rt.ok("sync_now", json!({}))["sent"], 1);
    // The reporter may not support their own report, nor verify it.
    let own = rt.ok("report_lifecycle", json!({ "id": id }));
    assert_eq!(own["canSupport"], false);
    assert_eq!(own["offered"], json!([]));
    let e = rt.err("support", json!({ "report": id }));
    assert_eq!(code_of(&e), "SUPPORT_OWN_REPORT");

    let lurah = TestApp::new(&root.path().join("lurah"));
    lurah.ok(
        "activate",
        json!({"server": server.url, "code": lurah_code}),
    );
    assert!(
        lurah.ok("sync_now", json!({}))["received"]
            .as_u64()
            .unwrap()
            >= 1
    );

    // The walk list: the new report, with how far to walk.
    let stops = lurah.ok(
        "field_queue",
        json!({"lat": MONAS.0 + 0.001, "lon": MONAS.1}),
    );
    assert_eq!(stops.as_array().unwrap().len(), 1);
    assert_eq!(stops[0]["id"], id.as_str());
    assert!(stops[0]["distanceM"].as_f64().unwrap() > 100.0);
    assert!(stops[0]["walkMinutes"].as_u64().unwrap() >= 1);

    let l = lurah.ok("report_lifecycle", json!({ "id": id }));
    let offered: Vec<(&str, &str)> = l["offered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["role"].as_str().unwrap(), o["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        offered,
        [
            ("lurah", "verify"),
            ("lurah", "reject"),
            ("lurah", "mark_duplicate"),
            ("lurah", "reroute")
        ]
    );
    assert_eq!(l["canSupport"], true);
    let k = lurah.ok("kabar", json!({}));
    assert_eq!(k["waiting"][0]["report"], id.as_str());
    assert_eq!(k["waiting"][0]["sla"]["step"], "verify");

    // Refused, with the rule's code, and nothing saved.
    let e = lurah.err(
        "act",
        act_args(&id, "lurah", "reroute", json!({"agency": "bina_marga"})),
    );
    assert_eq!(code_of(&e), "TRANSITION_NOTE_REQUIRED");
    let e = lurah.err("act", act_args(&id, "camat", "verify", json!({})));
    assert_eq!(code_of(&e), "FORBIDDEN_ROLE_NOT_HELD");
    let e = lurah.err(
        "act",
        act_args(
            &id,
            "lurah",
            "reroute",
            json!({"agency": "dinas_ufo", "note": "x"}),
        ),
    );
    assert_eq!(code_of(&e), "IPC_BAD_REQUEST");
    assert_eq!(lurah.ok("app_state", json!({}))["pendingOps"], 0);

    let l = lurah.ok(
        "act",
        act_args(
            &id,
            "lurah",
            "verify",
            json!({"position": step_at(MONAS.0, MONAS.1 + 0.0001)}),
        ),
    );
    assert_eq!(l["status"], "diverifikasi");
    let step = &l["history"][0];
    assert_eq!(
        (
            step["role"].as_str(),
            step["action"].as_str(),
            step["presence"].as_str()
        ),
        (Some("lurah"), Some("verify"), Some("on_site"))
    );
    assert_eq!(
        (step["fromStatus"].as_str(), step["toStatus"].as_str()),
        (Some("baru"), Some("diverifikasi"))
    );
    assert!((step["distanceM"].as_f64().unwrap() - 11.0).abs() < 2.0);
    assert_eq!(step["byMe"], true);
    assert_eq!(lurah.ok("app_state", json!({}))["pendingOps"], 1);

    // Support: once.
    let l = lurah.ok("support", json!({ "report": id }));
    assert_eq!(
        (
            l["supporters"].as_u64(),
            l["supporting"].as_bool(),
            l["canSupport"].as_bool()
        ),
        (Some(1), Some(true), Some(false))
    );
    let e = lurah.err("support", json!({ "report": id }));
    assert_eq!(code_of(&e), "SUPPORT_ALREADY");

    // Handed to the kelurahan's own office, then fixed with a photo taken there.
    let l = lurah.ok(
        "act",
        act_args(&id, "lurah", "dispose", json!({"agency": "kelurahan"})),
    );
    assert_eq!(
        (l["status"].as_str(), l["agency"].as_str()),
        (Some("didisposisikan"), Some("kelurahan"))
    );
    let e = lurah.err(
        "act",
        act_args(
            &id,
            "lurah",
            "resolve",
            json!({"photo": "0".repeat(64), "position": step_at(MONAS.0, MONAS.1)}),
        ),
    );
    assert_eq!(code_of(&e), "PHOTO_NOT_STAGED");
    let staged = invoke(
        &lurah.main,
        "stage_photo",
        InvokeBody::Raw(jpeg(1200, 900)),
        {
            let mut h = HeaderMap::new();
            h.insert("x-file-name", HeaderValue::from_static("selesai.jpg"));
            h
        },
    )
    .unwrap();
    let sha = staged["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);
    assert!(
        staged["dataUrl"]
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,")
    );
    let e = lurah.err(
        "act",
        act_args(
            &id,
            "lurah",
            "resolve",
            json!({"photo": sha, "position": step_at(MONAS.0 + 0.01, MONAS.1)}),
        ),
    );
    assert_eq!(code_of(&e), "RESOLVE_TOO_FAR");
    assert!(e["message"].as_str().unwrap().contains(" m"), "{e}");
    let l = lurah.ok(
        "act",
        act_args(
            &id,
            "lurah",
            "resolve",
            json!({"photo": sha, "position": step_at(MONAS.0, MONAS.1)}),
        ),
    );
    assert_eq!(l["status"], "selesai");
    assert_eq!(l["history"][2]["hasPhoto"], true);
    assert_eq!(l["sla"], Value::Null, "waiting on the reporter: no clock");
    assert_eq!(l["offered"], json!([]));
    let pair = &l["beforeAfter"];
    assert_eq!(pair["before"], Value::Null, "reported without a photo");
    assert!(
        pair["after"]
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,"),
        "{pair}"
    );
    let outcome = lurah.ok("sync_now", json!({}));
    assert_eq!(outcome["ok"], true, "{outcome}");
    assert_eq!(outcome["sent"], 4);

    // The reporter hears of each step, and may confirm or reopen.
    rt.ok("sync_now", json!({}));
    let k = rt.ok("kabar", json!({}));
    assert_eq!(k["unread"], 3);
    let news = k["news"].as_array().unwrap();
    let mut actions: Vec<&str> = news
        .iter()
        .map(|n| n["step"]["action"].as_str().unwrap())
        .collect();
    let times: Vec<i64> = news
        .iter()
        .map(|n| n["step"]["at"].as_i64().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    actions.sort();
    assert_eq!(actions, ["dispose", "resolve", "verify"]);
    assert_eq!(k["news"][0]["unread"], true);
    assert_eq!(k["news"][0]["step"]["byMe"], false);
    assert_eq!(k["waiting"][0]["report"], id.as_str());
    let offered: Vec<&str> = k["waiting"][0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["action"].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["confirm", "reopen"]);
    // The closing photo, taken on the lurah's phone, came to the reporter's with the sync.
    let l = rt.ok("report_lifecycle", json!({ "id": id }));
    assert!(
        l["beforeAfter"]["after"]
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,"),
        "{}",
        l["beforeAfter"]
    );
    rt.ok("mark_kabar_read", json!({}));
    let k = rt.ok("kabar", json!({}));
    assert_eq!(k["unread"], 0);
    assert_eq!(k["news"][0]["unread"], false);

    let e = rt.err("act", act_args(&id, "ketua_rt", "reopen", json!({})));
    assert_eq!(code_of(&e), "TRANSITION_NOTE_REQUIRED");
    let l = rt.ok("act", act_args(&id, "ketua_rt", "confirm", json!({})));
    assert_eq!(l["status"], "dikonfirmasi");
}

#[test]
fn an_rt_head_checks_in_nihil_and_the_lurah_sees_it_after_sync() {
    let Neighbourhood {
        root,
        server,
        rt_code,
        lurah_code,
        rt,
    } = Neighbourhood::new();
    // Without an account there is nothing to check in for.
    let p = rt.ok("patrol", json!({}));
    assert_eq!(
        (p["ownArea"].clone(), p["area"].clone()),
        (Value::Null, Value::Null)
    );
    let e = rt.err("check_in_nihil", json!({"position": null}));
    assert_eq!(code_of(&e), "SIGNED_OUT");

    rt.ok("activate", json!({"server": server.url, "code": rt_code}));
    let p = rt.ok("patrol", json!({}));
    assert_eq!(p["ownArea"], "31.71.01.1001/RW 003/RT 007");
    assert_eq!(p["checkedIn"], false);
    let position = json!({"lat": MONAS.0, "lon": MONAS.1, "accuracyM": 8.0, "capturedAt": 1_796_000_000_000_i64});
    let p = rt.ok("check_in_nihil", json!({ "position": position }));
    assert_eq!(p["checkedIn"], true);
    assert_eq!(
        p["areas"],
        json!([{"area": "31.71.01.1001/RW 003/RT 007", "nihil": true, "sent": false, "reports": 0}])
    );
    let e = rt.err("check_in_nihil", json!({"position": null}));
    assert_eq!(code_of(&e), "PATROL_ALREADY_CHECKED_IN");
    assert_eq!(rt.ok("sync_now", json!({}))["sent"], 1);
    assert_eq!(rt.ok("patrol", json!({}))["areas"][0]["sent"], true);

    let lurah = TestApp::new(&root.path().join("lurah"));
    lurah.ok(
        "activate",
        json!({"server": server.url, "code": lurah_code}),
    );
    lurah.ok("sync_now", json!({}));
    let p = lurah.ok("patrol", json!({}));
    assert_eq!(p["ownArea"], Value::Null, "a lurah heads no RT");
    assert_eq!(p["area"], "31.71.01.1001");
    assert_eq!(
        p["areas"],
        json!([{"area": "31.71.01.1001/RW 003/RT 007", "nihil": true, "sent": true, "reports": 0}])
    );
    let e = lurah.err("check_in_nihil", json!({"position": null}));
    assert_eq!(code_of(&e), "FORBIDDEN_ROLE");
}

#[test]
fn an_audit_carries_its_nine_ratings_and_a_zero_suggests_the_report_that_fixes_it() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let form = t.ok("audit_form", json!({}));
    let codes: Vec<&str> = form
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 9);
    assert_eq!((codes[0], codes[8]), ("penerangan", "rasa_aman"));
    assert_eq!(form[0]["rubricId"].as_array().unwrap().len(), 4);
    assert_eq!(form[0]["nameEn"], "Lighting");

    let audit = |ratings: Value| {
        let mut d = draft(MONAS.0, MONAS.1, "audit-keamanan");
        d["kind"] = json!("audit");
        d["ratings"] = ratings;
        json!({ "draft": d })
    };
    let created = t.ok("create_report", audit(json!([0, 2, 2, 1, 1, 0, 1, 2, 1])));
    assert_eq!(created["suggested"], json!(["pju-mati", "trotoar-rusak"]));
    let fine = t.ok("create_report", audit(json!([2, 2, 2, 1, 1, 1, 2, 2, 1])));
    assert_eq!(fine["suggested"], json!([]));

    let e = t.err("create_report", audit(json!([1, 2, 3])));
    assert_eq!(code_of(&e), "IPC_BAD_REQUEST");
    let e = t.err("create_report", audit(json!([4, 2, 2, 1, 1, 1, 0, 2, 1])));
    assert_eq!(code_of(&e), "AUDIT_RATING_INVALID");
    let mut laporan = draft(MONAS.0, MONAS.1, "jalan-rusak");
    laporan["ratings"] = json!([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    let e = t.err("create_report", json!({ "draft": laporan }));
    assert_eq!(code_of(&e), "REPORT_RATINGS_ONLY_FOR_AUDITS");
    assert_eq!(
        t.ok("app_state", json!({}))["pendingOps"],
        2,
        "the refused ones left nothing"
    );
}

#[test]
fn an_audits_score_colours_its_pin_and_after_sync_its_cell_is_on_the_safety_map() {
    // Bound to a name: the folders must outlive the test.
    let Neighbourhood {
        root: _root,
        server,
        rt_code,
        rt,
        ..
    } = Neighbourhood::new();
    let empty = rt.ok("safety_map", json!({}));
    let now = ronda_core::audit::DayPart::of(ronda_core::Timestamp::now()).code();
    assert_eq!(
        empty,
        json!({"cells": [], "fetchedAt": null, "dayPartNow": now})
    );

    rt.ok("activate", json!({"server": server.url, "code": rt_code}));
    let ratings = [
        [1, 2, 2, 1, 0, 1, 2, 1, 1],
        [2, 2, 3, 1, 1, 1, 2, 2, 2],
        [0, 1, 2, 2, 0, 2, 1, 1, 1],
    ];
    let mut ids = Vec::new();
    for (i, r) in ratings.iter().enumerate() {
        let mut d = draft(MONAS.0 + i as f64 * 1e-5, MONAS.1, "audit-keamanan");
        d["kind"] = json!("audit");
        d["ratings"] = json!(r);
        let created = rt.ok("create_report", json!({ "draft": d }));
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    // Offline, at once: the pin carries the audit's score, the detail its nine ratings.
    let pins = rt.ok(
        "reports_in_view",
        json!({"south": -6.3, "west": 106.7, "north": -6.1, "east": 106.9, "limit": 100}),
    );
    let first = ronda_core::audit::AuditRatings::from_values(ratings[0]).unwrap();
    let pin = pins
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == ids[0])
        .unwrap();
    let score = pin["score"].as_f64().unwrap();
    assert!((score - ronda_core::safety::score(&first)).abs() < 1e-9);
    let band = json!(ronda_core::safety::Band::of(score));
    assert_eq!(pin["band"], band);
    let detail = rt.ok("report_detail", json!({ "id": ids[0] }));
    assert_eq!(detail["audit"]["score"].as_f64().unwrap(), score);
    assert_eq!(detail["audit"]["band"], band);
    // A rating of 1 of 3 is a third of the best: its bar is in the lowest band, a 2 in "cukup".
    assert_eq!(detail["audit"]["ratings"][0]["band"], "rawan");
    assert_eq!(detail["audit"]["ratings"][1]["band"], "cukup");
    let rated: Vec<(String, f64)> = detail["audit"]["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_owned(),
                r["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rated.len(), 9);
    assert_eq!(rated[0], ("penerangan".to_owned(), 1.0));
    assert_eq!(rated[8], ("rasa_aman".to_owned(), 1.0));
    let laporan = rt.create(MONAS.0, MONAS.1, "jalan-rusak");
    let detail = rt.ok("report_detail", json!({ "id": laporan }));
    assert_eq!(detail["audit"], Value::Null);

    // After the sync that sent them (the background one, woken by each save, or this one),
    // the device holds the public cell the three made.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let map = loop {
        rt.ok("sync_now", json!({}));
        let map = rt.ok("safety_map", json!({}));
        if rt.ok("app_state", json!({}))["pendingOps"] == 0 && map["cells"] != json!([]) {
            break map;
        }
        assert!(std::time::Instant::now() < deadline, "no cell: {map}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(map["fetchedAt"].as_i64().is_some());
    let cells = map["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 1, "{map}");
    let cell = &cells[0];
    assert_eq!(cell["audits"], 3);
    assert_eq!(
        cell["band"],
        json!(ronda_core::safety::Band::of(
            cell["score"].as_f64().unwrap()
        ))
    );
    assert_eq!(cell["parameters"].as_array().unwrap().len(), 9);
    assert_eq!(cell["parameters"][0]["code"], "penerangan");
    assert!((cell["parameters"][0]["value"].as_f64().unwrap() - 1.0).abs() < 0.01);
    let day_part = ronda_core::audit::DayPart::of(ronda_core::Timestamp::now());
    assert_eq!(cell["dayPart"], day_part.code());
    let want = ronda_core::safety::cell_of(
        ronda_core::Coordinate::new(MONAS.0, MONAS.1).unwrap(),
        ronda_core::safety::NEIGHBOURHOOD_RES,
    );
    assert_eq!(cell["h3"], want.to_string());
    let ring = cell["ring"].as_array().unwrap();
    assert_eq!(ring.len(), 6);
    assert!(
        ring.iter()
            .all(|p| (p[0].as_f64().unwrap() - MONAS.0).abs() < 0.01)
    );
}

#[test]
fn score_bands_are_ronda_cores_in_order() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    assert_eq!(
        t.ok("score_bands", json!({})),
        json!([
            {"band": "rawan", "min": 0, "max": 39},
            {"band": "kurang", "min": 40, "max": 59},
            {"band": "cukup", "min": 60, "max": 79},
            {"band": "aman", "min": 80, "max": 100},
        ])
    );
}

#[test]
fn step_rules_are_ronda_cores() {
    let root = tempfile::tempdir().unwrap();
    let t = TestApp::new(root.path());
    let rules = t.ok("step_rules", json!({}));
    assert_eq!(
        rules["noteActions"],
        json!(["reroute", "reopen", "close_unfixed"])
    );
    let reasons: Vec<(String, bool)> = rules["rejectReasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["reason"].as_str().unwrap().to_owned(),
                r["needsNote"].as_bool().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, bool)> = ronda_core::lifecycle::RejectReason::ALL
        .iter()
        .map(|r| {
            let code = serde_json::to_value(r).unwrap();
            (code.as_str().unwrap().to_owned(), r.needs_note())
        })
        .collect();
    assert_eq!(reasons, want);
    assert_eq!(reasons.last().unwrap(), &("lainnya".to_owned(), true));
}
