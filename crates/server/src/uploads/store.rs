//! The uploads on disk. Everything the protocol knows lives here, so a restarted server carries
//! on where the last one stopped:
//!
//! - `uploads_dir/<id>.json` — the sidecar: length, metadata, declared SHA-256, and once the
//!   upload is complete the blob it became. Written to `<id>.json.tmp`, synced, renamed, the
//!   folder synced. An upload exists exactly when its sidecar does.
//! - `uploads_dir/<id>.bin` — the bytes received so far; the offset *is* its length. Created
//!   (and synced) before the sidecar; only ever appended to under the upload's lock, and synced
//!   before any offset is reported.
//! - `blobs_dir/<sha256hex>` — finished blobs, moved there by an atomic rename (or, across file
//!   systems, copied to a temporary name, synced and renamed), the folder synced.
//!
//! Completing is crash-safe: the sidecar records the blob name *before* the bytes move, and a
//! sidecar naming a blob whose `.bin` is still there is finished on next access.

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use ronda_core::Sha256Hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::UploadError;
use super::headers::Metadata;

const SIDECAR_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sidecar {
    version: u32,
    length: u64,
    /// Pairs in the client's order, values in canonical base64.
    metadata: Vec<(String, String)>,
    /// The `sha256` the client declared, if any.
    sha256: Option<String>,
    /// Set once complete: the blob this upload became.
    blob: Option<String>,
    created_unix: u64,
}

/// An upload as the protocol sees it.
#[derive(Debug, Clone)]
pub(super) struct UploadInfo {
    pub(super) length: u64,
    pub(super) offset: u64,
    pub(super) metadata: Metadata,
    pub(super) declared: Option<Sha256Hex>,
    /// `Some` once complete.
    pub(super) blob: Option<Sha256Hex>,
    sidecar: Sidecar,
}

#[derive(Debug, Clone)]
pub(super) struct Store {
    uploads_dir: PathBuf,
    blobs_dir: PathBuf,
}

impl Store {
    pub(super) fn new(uploads_dir: PathBuf, blobs_dir: PathBuf) -> Store {
        Store {
            uploads_dir,
            blobs_dir,
        }
    }

    pub(super) fn ensure_dirs(&self) -> io::Result<()> {
        fs::create_dir_all(&self.uploads_dir)?;
        fs::create_dir_all(&self.blobs_dir)
    }

    pub(super) fn bin_path(&self, id: Uuid) -> PathBuf {
        self.uploads_dir.join(format!("{}.bin", id.hyphenated()))
    }

    fn sidecar_path(&self, id: Uuid) -> PathBuf {
        self.uploads_dir.join(format!("{}.json", id.hyphenated()))
    }

    pub(super) fn blob_path(&self, sha: &Sha256Hex) -> PathBuf {
        self.blobs_dir.join(sha.as_str())
    }

    /// The size of a stored blob, `None` if there is none.
    pub(super) fn blob_len(&self, sha: &Sha256Hex) -> io::Result<Option<u64>> {
        match fs::metadata(self.blob_path(sha)) {
            Ok(m) if m.is_file() => Ok(Some(m.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates an empty upload, or (with `complete`) one that is already the named blob.
    pub(super) fn create(
        &self,
        id: Uuid,
        length: u64,
        metadata: &Metadata,
        declared: Option<&Sha256Hex>,
        complete: Option<&Sha256Hex>,
    ) -> io::Result<()> {
        self.ensure_dirs()?;
        if complete.is_none() {
            let bin = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.bin_path(id))?;
            bin.sync_all()?;
        }
        let sidecar = Sidecar {
            version: SIDECAR_VERSION,
            length,
            metadata: metadata.to_stored(),
            sha256: declared.map(|s| s.as_str().to_owned()),
            blob: complete.map(|s| s.as_str().to_owned()),
            created_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        let written = self.write_sidecar(id, &sidecar);
        if written.is_err() {
            let _ = fs::remove_file(self.bin_path(id));
        }
        written
    }

    fn write_sidecar(&self, id: Uuid, sidecar: &Sidecar) -> io::Result<()> {
        let path = self.sidecar_path(id);
        let tmp = path.with_extension("json.tmp");
        let json = serde_json::to_vec(sidecar).map_err(io::Error::other)?;
        let mut file = File::create(&tmp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &path)?;
        sync_dir(&self.uploads_dir)
    }

    /// Reads an upload; `None` if there is no such upload. The bytes are synced first, so the
    /// offset returned is durable even if an earlier process died before syncing them.
    pub(super) fn load(&self, id: Uuid) -> Result<Option<UploadInfo>, UploadError> {
        let json = match fs::read(self.sidecar_path(id)) {
            Ok(json) => json,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let corrupt = |why: String| {
            UploadError::Storage(io::Error::new(
                ErrorKind::InvalidData,
                format!("upload {id}: {why}"),
            ))
        };
        let sidecar: Sidecar =
            serde_json::from_slice(&json).map_err(|e| corrupt(format!("sidecar: {e}")))?;
        if sidecar.version != SIDECAR_VERSION {
            return Err(corrupt(format!("sidecar version {}", sidecar.version)));
        }
        let metadata = Metadata::from_stored(&sidecar.metadata).map_err(corrupt)?;
        let parse = |s: &Option<String>| match s {
            Some(s) => Sha256Hex::parse(s)
                .map(Some)
                .map_err(|e| corrupt(e.to_string())),
            None => Ok(None),
        };
        let declared = parse(&sidecar.sha256)?;
        let blob = parse(&sidecar.blob)?;
        let bin = self.bin_path(id);
        let offset = if let Some(blob) = &blob {
            if bin.exists() {
                // Died between recording the blob and moving the bytes: finish the move.
                self.move_to_blobs(id, blob)?;
            }
            sidecar.length
        } else {
            match OpenOptions::new().read(true).open(&bin) {
                Ok(file) => {
                    file.sync_all()?;
                    file.metadata()?.len()
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    // Cannot happen (the .bin is made first) unless someone removed it: start
                    // the bytes again rather than lose the upload.
                    let file = OpenOptions::new().write(true).create_new(true).open(&bin)?;
                    file.sync_all()?;
                    sync_dir(&self.uploads_dir)?;
                    0
                }
                Err(e) => return Err(e.into()),
            }
        };
        if offset > sidecar.length {
            return Err(corrupt(format!(
                "{offset} bytes stored for a length of {}",
                sidecar.length
            )));
        }
        Ok(Some(UploadInfo {
            length: sidecar.length,
            offset,
            metadata,
            declared,
            blob,
            sidecar,
        }))
    }

    /// Forgets an upload and its bytes (never its blob: blobs are shared by content).
    pub(super) fn remove(&self, id: Uuid) -> io::Result<()> {
        // The sidecar first: once it is gone the upload is gone, whatever else a crash leaves.
        for path in [self.sidecar_path(id), self.bin_path(id)] {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        sync_dir(&self.uploads_dir)
    }

    /// The upload has all its bytes: check them against the declared SHA-256 and make them a
    /// blob. On a mismatch the upload is deleted.
    pub(super) fn complete(&self, id: Uuid, info: &UploadInfo) -> Result<Sha256Hex, UploadError> {
        let actual = hash_file(&self.bin_path(id))?;
        if let Some(declared) = &info.declared
            && *declared != actual
        {
            self.remove(id)?;
            return Err(UploadError::HashMismatch {
                declared: declared.to_string(),
                actual: actual.to_string(),
            });
        }
        let mut sidecar = info.sidecar.clone();
        sidecar.blob = Some(actual.to_string());
        self.write_sidecar(id, &sidecar)?;
        self.move_to_blobs(id, &actual)?;
        Ok(actual)
    }

    fn move_to_blobs(&self, id: Uuid, sha: &Sha256Hex) -> io::Result<()> {
        fs::create_dir_all(&self.blobs_dir)?;
        let bin = self.bin_path(id);
        let dest = self.blob_path(sha);
        if dest.is_file() {
            // Blobs are only ever made complete and are named by content: this one is ours.
            fs::remove_file(&bin)?;
        } else {
            match fs::rename(&bin, &dest) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::CrossesDevices => {
                    let tmp = self
                        .blobs_dir
                        .join(format!(".{sha}.{}.tmp", id.hyphenated()));
                    fs::copy(&bin, &tmp)?;
                    File::open(&tmp)?.sync_all()?;
                    fs::rename(&tmp, &dest)?;
                    fs::remove_file(&bin)?;
                }
                Err(e) => return Err(e),
            }
        }
        sync_dir(&self.blobs_dir)?;
        sync_dir(&self.uploads_dir)
    }
}

fn hash_file(path: &Path) -> io::Result<Sha256Hex> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(Sha256Hex::from_digest(&hasher.finalize().into()))
}

/// Makes a rename or removal in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}
