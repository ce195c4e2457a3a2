//! Photo files, named by their SHA-256, written so that a file that exists is whole: written to
//! a temporary name, synced, renamed into place, and the folder synced.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use ronda_core::Sha256Hex;

#[derive(Debug, Clone)]
pub struct BlobDir {
    root: PathBuf,
}

impl BlobDir {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path_of(&self, name: &Sha256Hex) -> PathBuf {
        self.root.join(format!("{name}.jpg"))
    }

    /// Stores `bytes` under `name` durably. Writing a name that already exists is a no-op: the
    /// name is the content.
    pub fn put(&self, name: &Sha256Hex, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let target = self.path_of(name);
        if target.exists() {
            return Ok(target);
        }
        fs::create_dir_all(&self.root)?;
        let tmp = self
            .root
            .join(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut f = File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &target)?;
            File::open(&self.root)?.sync_all()
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written.map(|()| target)
    }

    pub fn get(&self, name: &Sha256Hex) -> std::io::Result<Vec<u8>> {
        fs::read(self.path_of(name))
    }
}
