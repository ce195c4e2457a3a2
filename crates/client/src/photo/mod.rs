//! The photo pipeline: check an uploaded photo, keep its EXIF position and
//! capture time, and re-encode it as metadata-free JPEGs (a copy of at most
//! [`FULL_LONG_EDGE`] px and a [`THUMB_LONG_EDGE`] px thumbnail).

mod container;
mod jpeg;
mod messages;
mod metadata;
mod raster;

use chrono::{DateTime, Utc};

pub use metadata::read_exif;

/// Largest accepted input file, checked before anything else.
pub const MAX_INPUT_BYTES: usize = 30 * 1024 * 1024;

/// Largest accepted image area, checked from the header before decoding.
///
/// Phones sold as "50 MP" write 8160x6144 (50.1 million pixels), so the
/// limit is 8192x6144 rather than a round 50,000,000.
pub const MAX_PIXELS: u64 = 8192 * 6144;

/// Memory the PNG and WebP decoders may allocate: a [`MAX_PIXELS`] RGBA8 image fits.
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// Long edge of the full-size copy, in pixels (smaller photos are not upscaled).
pub const FULL_LONG_EDGE: u32 = 1600;

/// Long edge of the thumbnail, in pixels (smaller photos are not upscaled).
pub const THUMB_LONG_EDGE: u32 = 320;

/// The full-size copy is re-encoded at lower quality while it is larger than this.
pub const FULL_TARGET_MAX_BYTES: usize = 350 * 1024;

/// Where the photo was taken, in decimal degrees (south and west negative).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExifGps {
    pub lat: f64,
    pub lon: f64,
}

/// Metadata read from the input before it is stripped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoExif {
    pub gps: Option<ExifGps>,
    pub taken_at: Option<DateTime<Utc>>,
}

/// A JPEG produced by the pipeline, named by the SHA-256 of its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedJpeg {
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

impl std::fmt::Debug for EncodedJpeg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncodedJpeg")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("sha256", &self.sha256)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// Container format of the input photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Jpeg,
    Png,
    WebP,
}

/// The result of [`process`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessedPhoto {
    pub exif: PhotoExif,
    pub full: EncodedJpeg,
    pub thumb: EncodedJpeg,
    pub source_format: SourceFormat,
    /// Source size after applying the EXIF orientation (upright, like `full`).
    pub source_width: u32,
    pub source_height: u32,
}

/// Why a photo was rejected. [`PhotoError::code`] gives a stable identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is {size} bytes; the limit is {max} bytes")]
    TooLarge { size: usize, max: usize },
    #[error("the file is not an image")]
    NotAnImage,
    #[error("{format} images are not supported; use a JPEG, PNG or WebP photo")]
    UnsupportedFormat { format: String },
    #[error("the image file is incomplete (truncated)")]
    Truncated,
    #[error("the image is {width}x{height} pixels; the limit is {max} pixels")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// Within [`MAX_PIXELS`] but too deep (e.g. 16-bit RGBA) for [`MAX_DECODE_ALLOC`].
    #[error("the image is {width}x{height} pixels and needs too much memory to decode")]
    TooMuchMemory { width: u32, height: u32 },
    #[error("the image could not be decoded: {0}")]
    DecodeFailed(String),
    #[error("the photo could not be re-encoded: {0}")]
    EncodeFailed(String),
}

impl PhotoError {
    /// Stable machine-readable code for clients and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "PHOTO_TOO_LARGE",
            Self::NotAnImage => "PHOTO_NOT_AN_IMAGE",
            Self::UnsupportedFormat { .. } => "PHOTO_UNSUPPORTED_FORMAT",
            Self::Truncated => "PHOTO_TRUNCATED",
            Self::TooManyPixels { .. } | Self::TooMuchMemory { .. } => "PHOTO_TOO_MANY_PIXELS",
            Self::DecodeFailed(_) => "PHOTO_DECODE_FAILED",
            Self::EncodeFailed(_) => "PHOTO_ENCODE_FAILED",
        }
    }
}

/// Validates a JPEG, PNG or WebP photo, reads its EXIF, and produces the
/// metadata-free full-size copy and thumbnail.
pub fn process(bytes: &[u8]) -> Result<ProcessedPhoto, PhotoError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(PhotoError::TooLarge {
            size: bytes.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    let source_format = container::detect(bytes)?;
    container::check_complete(source_format, bytes)?;
    let exif = read_exif(bytes);

    let decoded = raster::decode(bytes, source_format)?;
    let (source_width, source_height) = decoded.upright_dimensions();
    let mut resizer = raster::Resizer::default();
    let full_pixels = resizer.fit_upright(decoded, FULL_LONG_EDGE)?;
    let thumb_pixels = resizer.fit(&full_pixels, THUMB_LONG_EDGE)?;

    Ok(ProcessedPhoto {
        exif,
        full: jpeg::encode_full(&full_pixels)?,
        thumb: jpeg::encode_thumb(&thumb_pixels)?,
        source_format,
        source_width,
        source_height,
    })
}
