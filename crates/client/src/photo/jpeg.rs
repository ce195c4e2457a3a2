//! JPEG encoding and content naming.

use std::fmt::Write as _;

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, RgbImage};
use sha2::{Digest, Sha256};

use super::{EncodedJpeg, FULL_TARGET_MAX_BYTES, PhotoError};

/// Qualities for the full-size copy, best first, each with the size it
/// typically gives relative to the first (measured with this encoder on
/// photo-like 1600x1200 images: 0.82-0.86, 0.73-0.79, 0.64-0.72).
const FULL_QUALITIES: [(u8, f64); 4] = [(82, 1.0), (76, 0.84), (70, 0.76), (62, 0.68)];
const THUMB_QUALITY: u8 = 80;

/// Encodes the full-size copy, stepping quality down while it exceeds
/// [`FULL_TARGET_MAX_BYTES`]; the last step is kept even if still larger.
pub(super) fn encode_full(image: &RgbImage) -> Result<EncodedJpeg, PhotoError> {
    let mut bytes = encode(image, FULL_QUALITIES[0].0)?;
    // Each encode costs about half a decode, so skip the steps that the
    // first size says cannot fit: usually two encodes at most.
    let needed = FULL_TARGET_MAX_BYTES as f64 / bytes.len() as f64;
    let first_step = FULL_QUALITIES
        .iter()
        .position(|&(_, ratio)| ratio <= needed)
        .unwrap_or(FULL_QUALITIES.len() - 1)
        .max(1);
    for &(quality, _) in &FULL_QUALITIES[first_step..] {
        if bytes.len() <= FULL_TARGET_MAX_BYTES {
            break;
        }
        bytes = encode(image, quality)?;
    }
    Ok(named(bytes, image))
}

pub(super) fn encode_thumb(image: &RgbImage) -> Result<EncodedJpeg, PhotoError> {
    Ok(named(encode(image, THUMB_QUALITY)?, image))
}

/// `JpegEncoder` writes SOI, a JFIF APP0, tables and the scan: no EXIF,
/// XMP, ICC profile or comment unless asked to, which we never do.
fn encode(image: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut bytes = Vec::new();
    let (width, height) = image.dimensions();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .map_err(|e| PhotoError::EncodeFailed(e.to_string()))?;
    Ok(bytes)
}

fn named(bytes: Vec<u8>, image: &RgbImage) -> EncodedJpeg {
    let mut sha256 = String::with_capacity(64);
    for byte in Sha256::digest(&bytes) {
        write!(sha256, "{byte:02x}").expect("writing to a String cannot fail");
    }
    EncodedJpeg {
        bytes,
        sha256,
        width: image.width(),
        height: image.height(),
    }
}
