//! What the person chose on this device: language, large text, and whether they use the app
//! without an account. A small JSON file in the app's config folder, replaced whole and synced
//! so a crash leaves the old file or the new one, never half of one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ipc::Lang;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub lang: Lang,
    pub large_text: bool,
    /// The person chose to use the app without an account.
    pub local: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: system_lang(),
            large_text: false,
            local: false,
        }
    }
}

/// The system's language where Ronda speaks it, else Bahasa Indonesia.
fn system_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| ronda_core::Lang::from_locale(&v))
        .map(Lang::from)
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn new(config_dir: &Path) -> Self {
        Self {
            path: config_dir.join("settings.json"),
        }
    }

    /// The saved settings; defaults when there are none yet or the file does not read back
    /// (settings are preferences: losing them must not stop the app).
    pub fn load(&self) -> Settings {
        fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, settings: &Settings) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let tmp = self.path.with_extension("json.tmp");
        let written = (|| {
            let mut f = File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?)?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            File::open(dir)?.sync_all()
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_survive_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(&dir.path().join("config"));
        assert_eq!(file.load(), Settings::default());
        let chosen = Settings {
            lang: Lang::En,
            large_text: true,
            local: true,
        };
        file.save(&chosen).unwrap();
        assert_eq!(file.load(), chosen);
        fs::write(dir.path().join("config/settings.json"), b"{not json").unwrap();
        assert_eq!(file.load(), Settings::default());
    }
}
