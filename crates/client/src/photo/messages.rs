//! What a person is told when a photo cannot be used, in their language.

use ronda_core::{Coded, Lang};

use super::{MAX_INPUT_BYTES, PhotoError};

impl Coded for PhotoError {
    fn code(&self) -> &'static str {
        PhotoError::code(self)
    }

    fn message(&self, lang: Lang) -> String {
        let mb = MAX_INPUT_BYTES / (1024 * 1024);
        match self {
            PhotoError::TooLarge { size, .. } => lang.pick(
                format!(
                    "foto terlalu besar ({} MB); paling besar {mb} MB",
                    size / (1024 * 1024)
                ),
                format!(
                    "the photo is too large ({} MB); the limit is {mb} MB",
                    size / (1024 * 1024)
                ),
            ),
            PhotoError::NotAnImage => lang
                .pick("berkas ini bukan foto", "this file is not a photo")
                .into(),
            PhotoError::UnsupportedFormat { format } => lang.pick(
                format!("foto {format} tidak didukung; pakai JPEG, PNG atau WebP"),
                format!("{format} photos are not supported; use JPEG, PNG or WebP"),
            ),
            PhotoError::Truncated => lang
                .pick(
                    "berkas foto tidak utuh (terpotong); ambil foto lagi",
                    "the photo file is incomplete; take it again",
                )
                .into(),
            PhotoError::TooManyPixels { width, height, .. }
            | PhotoError::TooMuchMemory { width, height } => lang.pick(
                format!("foto {width}×{height} piksel terlalu besar untuk diproses"),
                format!("a {width}×{height} pixel photo is too large to process"),
            ),
            PhotoError::DecodeFailed(why) => lang.pick(
                format!("foto tidak bisa dibaca: {why}"),
                format!("the photo cannot be read: {why}"),
            ),
            PhotoError::EncodeFailed(why) => lang.pick(
                format!("foto tidak bisa diperkecil: {why}"),
                format!("the photo could not be shrunk: {why}"),
            ),
        }
    }
}
