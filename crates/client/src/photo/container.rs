//! Format sniffing and cheap structural checks, done before any decoding.

use image::ImageFormat;

use super::{PhotoError, SourceFormat};

/// Identifies the container from its magic bytes; only JPEG, PNG and WebP are accepted.
pub(super) fn detect(bytes: &[u8]) -> Result<SourceFormat, PhotoError> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(SourceFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(SourceFormat::Png),
        Ok(ImageFormat::WebP) => Ok(SourceFormat::WebP),
        Ok(other) => Err(PhotoError::UnsupportedFormat {
            format: format!("{other:?}").to_uppercase(),
        }),
        // `image` does not know HEIF, the default on some phones; name it so the user can act.
        Err(_) if is_heif(bytes) => Err(PhotoError::UnsupportedFormat {
            format: "HEIF".to_owned(),
        }),
        Err(_) => Err(PhotoError::NotAnImage),
    }
}

/// Fails with [`PhotoError::Truncated`] unless the file reaches its end marker.
///
/// Decoders are lenient about missing data (zune-jpeg fills the missing
/// part with grey), so a cut-off upload must be caught here.
pub(super) fn check_complete(format: SourceFormat, bytes: &[u8]) -> Result<(), PhotoError> {
    let complete = match format {
        SourceFormat::Jpeg => jpeg_reaches_eoi(bytes),
        SourceFormat::Png => png_reaches_iend(bytes),
        SourceFormat::WebP => riff_is_complete(bytes),
    };
    if complete {
        Ok(())
    } else {
        Err(PhotoError::Truncated)
    }
}

fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8]; 8] = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
    ];
    bytes.get(4..8) == Some(b"ftyp") && bytes.get(8..12).is_some_and(|b| BRANDS.contains(&b))
}

/// Walks the JPEG markers to the primary image's EOI.
///
/// Segments are skipped by their length, so an EXIF thumbnail's EOI is not
/// mistaken for ours; entropy-coded data is skipped byte-wise, where `FF 00`
/// stuffing and restart markers carry no length.
fn jpeg_reaches_eoi(bytes: &[u8]) -> bool {
    const EOI: u8 = 0xD9;
    let mut pos = 2; // past SOI
    loop {
        let Some(skip) = bytes[pos.min(bytes.len())..]
            .iter()
            .position(|&b| b == 0xFF)
        else {
            return false;
        };
        pos += skip;
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return false;
        };
        pos += 1;
        match marker {
            EOI => return true,
            0x00 | 0x01 | 0xD0..=0xD7 => {}
            _ => {
                let Some(len) = bytes.get(pos..pos + 2) else {
                    return false;
                };
                pos = pos.saturating_add(usize::from(u16::from_be_bytes([len[0], len[1]])));
            }
        }
    }
}

/// Walks the PNG chunks to IEND.
fn png_reaches_iend(bytes: &[u8]) -> bool {
    let mut pos: usize = 8; // past the signature
    while let Some(header) = bytes.get(pos..pos.saturating_add(8)) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let end = usize::try_from(len)
            .map_or(usize::MAX, |len| pos.saturating_add(12).saturating_add(len));
        if end > bytes.len() {
            return false;
        }
        if &header[4..8] == b"IEND" {
            return true;
        }
        pos = end;
    }
    false
}

/// Checks the file is at least as long as its RIFF header says.
fn riff_is_complete(bytes: &[u8]) -> bool {
    let Some(size) = bytes.get(4..8) else {
        return false;
    };
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
    usize::try_from(size).is_ok_and(|size| size.saturating_add(8) <= bytes.len())
}
