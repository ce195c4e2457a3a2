//! The `ronda` binary, run as a user runs it: good commands work, bad ones fail with a stable
//! code and the right exit status, and change nothing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("ronda.db")
    }

    fn ronda(&self) -> Command {
        let mut cmd = Command::cargo_bin("ronda").unwrap();
        cmd.env_clear()
            .env("RONDA_DB", self.db())
            .env("HOME", self.dir.path());
        cmd
    }

    /// Runs with `--json` and returns (exit code, parsed stdout).
    fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.ronda().arg("--json").args(args).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let value = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
        (out.status.code().unwrap(), value)
    }

    fn error_code(&self, args: &[&str]) -> (i32, String) {
        let (code, v) = self.json(args);
        assert_ne!(code, 0, "{args:?} should fail");
        (
            code,
            v["error"]["code"]
                .as_str()
                .unwrap_or_else(|| panic!("no error code for {args:?}: {v}"))
                .to_owned(),
        )
    }

    fn count(&self) -> u64 {
        if !self.db().exists() {
            return 0;
        }
        let (code, v) = self.json(&["db", "info"]);
        assert_eq!(code, 0);
        v["stats"]["reports"].as_u64().unwrap()
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

const CREATE: [&str; 8] = [
    "report",
    "create",
    "-c",
    "jalan-rusak",
    "--lat",
    "-6.2",
    "--lon",
    "106.82",
];

fn photo(env: &Env) -> PathBuf {
    let img = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let p = env.dir.path().join("lubang.jpg");
    img.save(&p).unwrap();
    p
}

#[test]
fn a_report_made_on_the_command_line_is_stored_queued_and_found() {
    let env = Env::new();
    let photo = photo(&env);
    let (code, created) = env.json(
        &[
            &CREATE[..],
            &[
                "--accuracy",
                "7.5",
                "--source",
                "gps",
                "-d",
                "Jalannya berlubang besar",
                "--area",
                "31.71.01.1001/RW 3/RT 7",
            ],
            &["--photo", photo.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "baru");
    assert_eq!(created["area"], "31.71.01.1001/RW 003/RT 007");
    assert_eq!(created["photos"].as_array().unwrap().len(), 1);
    assert!(created["photos"][0]["width"].as_u64().unwrap() <= 1600);

    let (_, mut shown) = env.json(&["report", "show", &id]);
    assert_eq!(
        shown.as_object_mut().unwrap().remove("losers"),
        Some(serde_json::json!([]))
    );
    assert_eq!(shown, created);
    let (_, outbox) = env.json(&["outbox"]);
    assert_eq!(outbox.as_array().unwrap().len(), 1);
    assert_eq!(outbox[0]["op"]["kind"], "report.create");
    assert_eq!(outbox[0]["op"]["data"]["id"], id.as_str());
    assert_eq!(outbox[0]["state"], "pending");

    for query in [
        vec!["--near", "-6.2001,106.8201", "--radius", "100"],
        vec!["--bbox", "-6.3,106.7,-6.1,106.9"],
        vec!["--text", "lubang"],
        vec![
            "--status",
            "baru",
            "--kind",
            "laporan",
            "--category",
            "jalan-rusak",
        ],
        vec!["--area", "31.71.01"],
    ] {
        let (code, list) = env.json(&[&["report", "list"][..], &query].concat());
        assert_eq!(code, 0);
        assert_eq!(list.as_array().unwrap().len(), 1, "{query:?}");
        assert_eq!(list[0]["id"], id.as_str());
    }
    for query in [
        vec!["--near", "-6.25,106.82", "--radius", "100"],
        vec!["--text", "banjir"],
        vec!["--status", "selesai"],
        vec!["--area", "31.72"],
    ] {
        let (_, list) = env.json(&[&["report", "list"][..], &query].concat());
        assert_eq!(list.as_array().unwrap().len(), 0, "{query:?}");
    }
}

#[test]
fn bad_arguments_are_refused_with_stable_codes_and_change_nothing() {
    let env = Env::new();
    assert_eq!(env.json(&CREATE).0, 0);
    let too_long = "a".repeat(4001);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "0",
                "--lon",
                "0",
            ],
            "LOCATION_NULL_ISLAND",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "NaN",
                "--lon",
                "106.8",
            ],
            "LOCATION_NOT_A_NUMBER",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "inf",
                "--lon",
                "106.8",
            ],
            "LOCATION_NOT_A_NUMBER",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-91",
                "--lon",
                "106.8",
            ],
            "LOCATION_OUT_OF_RANGE",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-6.2",
                "--lon",
                "181",
            ],
            "LOCATION_OUT_OF_RANGE",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-6.2",
                "--lon",
                "106.8",
                "--accuracy",
                "-3",
            ],
            "LOCATION_ACCURACY_INVALID",
        ),
        (
            vec![
                "report", "create", "-c", "ufo", "--lat", "-6.2", "--lon", "106.8",
            ],
            "CATEGORY_UNKNOWN",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "pelecehan",
                "--kind",
                "laporan",
                "--lat",
                "-6.2",
                "--lon",
                "106.8",
            ],
            "CATEGORY_WRONG_KIND",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-6.2",
                "--lon",
                "106.8",
                "--area",
                "31.71.1",
            ],
            "AREA_CODE_INVALID",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-6.2",
                "--lon",
                "106.8",
                "-d",
                &too_long,
            ],
            "TEXT_TOO_LONG",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-6.2",
                "--lon",
                "106.8",
                "-d",
                "a\u{1b}[2Jb",
            ],
            "TEXT_CONTROL_CHARACTER",
        ),
        (
            vec![
                "report",
                "create",
                "-c",
                "jalan-rusak",
                "--lat",
                "-6.2",
                "--lon",
                "106.8",
                "-p",
                "/no/such.jpg",
            ],
            "FILE_NOT_FOUND",
        ),
        (vec!["report", "show", "not-an-id"], "ID_INVALID"),
        (
            vec!["report", "show", "6f1c3e1a-8a44-4f7e-9e2b-2b1c4a5d6e7f"],
            "ID_INVALID",
        ),
        (
            vec!["report", "show", "01a22b75-ffaf-753d-a296-9aefa7776816"],
            "REPORT_NOT_FOUND",
        ),
        (
            vec!["report", "list", "--near", "-6.2,106.8", "--radius", "0"],
            "LOCATION_RADIUS_INVALID",
        ),
        (
            vec!["report", "list", "--category", "tidak-ada"],
            "CATEGORY_UNKNOWN",
        ),
        (vec!["report", "list", "--area", "DKI"], "AREA_CODE_INVALID"),
    ];
    for (args, want) in cases {
        let (code, got) = env.error_code(&args);
        assert_eq!(got, want, "{args:?}");
        let expected_exit = if want == "REPORT_NOT_FOUND" { 1 } else { 2 };
        assert_eq!(code, expected_exit, "{args:?}");
    }
    // Malformed syntax is clap's to refuse (exit 2, usage on stderr).
    for args in [
        vec![
            "report",
            "create",
            "-c",
            "jalan-rusak",
            "--lat",
            "abc",
            "--lon",
            "106.8",
        ],
        vec!["report", "create", "-c", "jalan-rusak", "--lon", "106.8"],
        vec!["report", "list", "--near", "-6.2"],
        vec!["report", "list", "--bbox", "-6.1,106.9,-6.3,106.7"],
        vec!["report", "list", "--status", "hilang"],
        vec!["report", "list", "--radius", "50"],
        vec!["--lang", "fr", "categories"],
        vec!["teleport"],
    ] {
        let out = env.ronda().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    assert_eq!(env.count(), 1, "nothing but the first report was stored");
}

#[test]
fn bad_photos_are_refused_before_anything_is_stored() {
    let env = Env::new();
    let text = env.write("bukan-foto.jpg", b"ini bukan foto, hanya teks");
    let jpeg = std::fs::read(photo(&env)).unwrap();
    let cut = env.write("terpotong.jpg", &jpeg[..jpeg.len() / 2]);
    let gif = env.write("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    let good = env.dir.path().join("lubang.jpg");
    for (file, want) in [
        (&text, "PHOTO_NOT_AN_IMAGE"),
        (&cut, "PHOTO_TRUNCATED"),
        (&gif, "PHOTO_UNSUPPORTED_FORMAT"),
    ] {
        let args = [
            &CREATE[..],
            &["-p", good.to_str().unwrap(), "-p", file.to_str().unwrap()],
        ]
        .concat();
        assert_eq!(
            env.error_code(&args),
            (2, want.to_owned()),
            "{}",
            file.display()
        );
    }
    assert_eq!(env.count(), 0);
    assert!(
        !env.db().with_file_name("ronda.db.photos").exists(),
        "no photo file was written"
    );
}

#[test]
fn messages_follow_the_language() {
    let env = Env::new();
    let bad = [
        "report",
        "create",
        "-c",
        "jalan-rusak",
        "--lat",
        "0",
        "--lon",
        "0",
    ];
    let stderr = |cmd: &mut Command| String::from_utf8(cmd.output().unwrap().stderr).unwrap();
    let id = stderr(env.ronda().args(bad));
    assert!(
        id.contains("[LOCATION_NULL_ISLAND]") && id.contains("pilih di peta"),
        "{id}"
    );
    let en = stderr(env.ronda().env("LANG", "en_US.UTF-8").args(bad));
    assert!(en.contains("pick on the map"), "{en}");
    let forced = stderr(
        env.ronda()
            .env("LANG", "en_US.UTF-8")
            .args(["--lang", "id"])
            .args(bad),
    );
    assert!(forced.contains("pilih di peta"), "{forced}");
    let out = env
        .ronda()
        .env("LANG", "en_US.UTF-8")
        .args(["categories"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Street light out") && text.contains("EMERGENCY: call 112 / 113"),
        "{text}"
    );
}

#[test]
fn an_import_file_with_a_bad_line_stores_nothing() {
    let env = Env::new();
    let good = r#"{"category":"banjir","lat":-6.21,"lon":106.84,"description":"Kebanjiran setinggi lutut"}"#;
    let lines = [
        good,
        r#"{"category":"sampah-menumpuk","lat":-6.22,"lon":106.85}"#,
        r#"{"category":"banjir","lat":0,"lon":0}"#,
    ];
    let file = env.write("impor.jsonl", lines.join("\n").as_bytes());
    let (code, err) = env.json(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err["error"]["code"], "LOCATION_NULL_ISLAND");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("baris 3"),
        "{err}"
    );
    assert_eq!(env.count(), 0);

    for (bad, want) in [
        ("{not json", "IMPORT_LINE_INVALID"),
        (
            r#"{"category":"banjir","lat":-6.2,"lon":106.8,"colour":"red"}"#,
            "IMPORT_LINE_INVALID",
        ),
        (
            r#"{"category":"banjir","lat":"south","lon":106.8}"#,
            "IMPORT_LINE_INVALID",
        ),
    ] {
        let file = env.write("bad.jsonl", format!("{good}\n{bad}\n").as_bytes());
        assert_eq!(
            env.error_code(&["import", file.to_str().unwrap()]).1,
            want,
            "{bad}"
        );
    }
    assert_eq!(env.count(), 0);

    let file = env.write("ok.jsonl", lines[..2].join("\n").as_bytes());
    let out = env
        .ronda()
        .args(["--json", "import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    assert_eq!(env.count(), 2);
    let (_, found) = env.json(&["report", "list", "--text", "banjir"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
}

#[test]
fn a_damaged_store_is_reported_and_left_alone() {
    let env = Env::new();
    std::fs::create_dir_all(env.db().parent().unwrap()).unwrap();
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(env.db(), &garbage).unwrap();
    let (code, err) = env.error_code(&CREATE);
    assert_eq!((code, err.as_str()), (3, "STORE_CORRUPT"));
    assert_eq!(std::fs::read(env.db()).unwrap(), garbage);
    assert!(!Path::new(&format!("{}-wal", env.db().display())).exists());
}
