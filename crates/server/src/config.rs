//! Settings: a TOML file (see `ronda-server.example.toml`, also printed by
//! `ronda-server config example`), then environment variables over it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ronda_core::kewenangan::Kewenangan;
use ronda_core::lifecycle::FieldRules;
use ronda_core::sla::Deadlines;
use serde::{Deserialize, Serialize};

pub const EXAMPLE: &str = include_str!("../ronda-server.example.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the database, the signing key, uploads and photos live.
    pub data_dir: PathBuf,
    /// `sqlite://PATH`; empty means `<data_dir>/ronda.db`.
    pub database_url: String,
    pub limits: Limits,
    pub lifecycle: Lifecycle,
}

/// What the server judges lifecycle steps by, set by the city's admins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lifecycle {
    /// How near counts as on site, for verifying and for closing with a photo.
    pub field: FieldRules,
    /// Rules over the catalogue's agencies: category × area → responsible body.
    pub kewenangan: Kewenangan,
    /// Working-day limits per step and the holidays; devices fetch them (`/v1/deadlines`).
    pub deadlines: Deadlines,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body after decompression, in bytes (uploads excepted).
    pub max_body_bytes: usize,
    /// Most ops in one sync.
    pub max_ops_per_push: usize,
    /// Largest photo upload, in bytes.
    pub max_upload_bytes: u64,
    /// Syncs each device may make per minute (bursts up to this many).
    pub syncs_per_minute: u32,
    /// While reports keep arriving, the public safety layer is rebuilt at most this often.
    pub safety_layer_refresh_secs: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".parse().expect("valid address"),
            data_dir: PathBuf::from("ronda-data"),
            database_url: String::new(),
            limits: Limits::default(),
            lifecycle: Lifecycle::default(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 2 * 1024 * 1024,
            max_ops_per_push: 500,
            max_upload_bytes: 10 * 1024 * 1024,
            syncs_per_minute: 120,
            safety_layer_refresh_secs: 60,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("{name}={value:?}: {reason}")]
    Env {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("unsupported database URL {0:?}: this build knows sqlite://PATH")]
    DatabaseUrl(String),
}

impl Config {
    /// Reads `file` (if given), then applies `RONDA_LISTEN`, `RONDA_DATA_DIR` and
    /// `RONDA_DATABASE_URL` from the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path: path.to_owned(),
                    source,
                })?
            }
            None => Config::default(),
        };
        if let Ok(v) = std::env::var("RONDA_LISTEN") {
            config.listen = v
                .parse()
                .map_err(|e: std::net::AddrParseError| ConfigError::Env {
                    name: "RONDA_LISTEN",
                    value: v.clone(),
                    reason: e.to_string(),
                })?;
        }
        if let Some(v) = std::env::var_os("RONDA_DATA_DIR") {
            config.data_dir = v.into();
        }
        if let Ok(v) = std::env::var("RONDA_DATABASE_URL") {
            config.database_url = v;
        }
        config.database_path()?;
        Ok(config)
    }

    pub fn database_path(&self) -> Result<PathBuf, ConfigError> {
        if self.database_url.is_empty() {
            return Ok(self.data_dir.join("ronda.db"));
        }
        self.database_url
            .strip_prefix("sqlite://")
            .map(PathBuf::from)
            .ok_or_else(|| ConfigError::DatabaseUrl(self.database_url.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_route_a_category_in_their_area_to_another_body() {
        let text = format!(
            "{EXAMPLE}\n[[lifecycle.kewenangan]]\ncategory = \"pju-mati\"\narea = \"31.71.01.1001\"\nagency = \"kelurahan\"\n"
        );
        let parsed: Config = toml::from_str(&text).unwrap();
        let pju = ronda_core::CategoryCode::parse("pju-mati").unwrap();
        let rt: ronda_core::AreaCode = "31.71.01.1001/RW 003/RT 007".parse().unwrap();
        assert_eq!(
            parsed.lifecycle.kewenangan.responsible(&pju, Some(&rt)),
            ronda_core::AgencyCode::Kelurahan
        );
        let bad = format!(
            "{EXAMPLE}\n[[lifecycle.kewenangan]]\ncategory = \"pju-mati\"\narea = \"31.71.01.1001\"\nagency = \"dinas_entah\"\n"
        );
        assert!(
            toml::from_str::<Config>(&bad).is_err(),
            "an unknown agency is refused"
        );
    }

    #[test]
    fn the_example_is_the_default() {
        let parsed: Config = toml::from_str(EXAMPLE).unwrap();
        assert_eq!(parsed, Config::default());
        assert!(
            toml::from_str::<Config>("listen = \"127.0.0.1:1\"\nlimts = {}\n").is_err(),
            "typos are refused"
        );
    }
}
