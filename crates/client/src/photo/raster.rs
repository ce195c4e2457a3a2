//! Decoding to pixels, resizing to RGB8, and EXIF orientation.

use std::io::{self, Cursor};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions};
use image::metadata::Orientation;
use image::{
    DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage, RgbaImage,
};

use super::{MAX_DECODE_ALLOC, MAX_PIXELS, PhotoError, SourceFormat};

/// Decoded pixels as stored in the file, with the orientation still to apply.
#[derive(Debug)]
pub(super) struct Decoded {
    image: DynamicImage,
    orientation: Orientation,
}

impl Decoded {
    /// Size once the EXIF orientation is applied.
    pub(super) fn upright_dimensions(&self) -> (u32, u32) {
        let (width, height) = (self.image.width(), self.image.height());
        if swaps_axes(self.orientation) {
            (height, width)
        } else {
            (width, height)
        }
    }
}

/// Decodes the image after checking its header dimensions against [`MAX_PIXELS`].
pub(super) fn decode(bytes: &[u8], format: SourceFormat) -> Result<Decoded, PhotoError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    reader.limits(decode_limits());
    let mut decoder = reader.into_decoder().map_err(|e| decode_error(e, None))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            max: MAX_PIXELS,
        });
    }
    // A broken orientation tag is bad metadata like any other: ignore it.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image =
        DynamicImage::from_decoder(decoder).map_err(|e| decode_error(e, Some((width, height))))?;
    Ok(Decoded { image, orientation })
}

/// Lanczos3 resizing to RGB8, reusing its scratch buffers between calls.
#[derive(Debug, Default)]
pub(super) struct Resizer {
    inner: fast_image_resize::Resizer,
}

impl Resizer {
    /// Fits the image within `long_edge`, flattens transparency onto white,
    /// then applies the EXIF orientation.
    pub(super) fn fit_upright(
        &mut self,
        decoded: Decoded,
        long_edge: u32,
    ) -> Result<RgbImage, PhotoError> {
        let fitted = match decoded.image {
            DynamicImage::ImageRgb8(rgb) => self.fit_owned(rgb, long_edge)?,
            DynamicImage::ImageRgba8(rgba) => self.fit_on_white(rgba, long_edge)?,
            other if other.color().has_alpha() => {
                self.fit_on_white(other.into_rgba8(), long_edge)?
            }
            other => self.fit_owned(other.into_rgb8(), long_edge)?,
        };
        // Orienting after the resize moves ~2 MP instead of up to 50 MP.
        let mut upright = DynamicImage::ImageRgb8(fitted);
        upright.apply_orientation(decoded.orientation);
        Ok(upright.into_rgb8())
    }

    /// Fits the image within `long_edge`; never upscales.
    pub(super) fn fit(&mut self, image: &RgbImage, long_edge: u32) -> Result<RgbImage, PhotoError> {
        let target = fit_within(image.dimensions(), long_edge);
        if target == image.dimensions() {
            return Ok(image.clone());
        }
        let pixels = self.resize(image.as_raw(), image.dimensions(), target, PixelType::U8x3)?;
        Ok(
            RgbImage::from_raw(target.0, target.1, pixels)
                .expect("resizer output matches its size"),
        )
    }

    fn fit_owned(&mut self, image: RgbImage, long_edge: u32) -> Result<RgbImage, PhotoError> {
        if fit_within(image.dimensions(), long_edge) == image.dimensions() {
            Ok(image)
        } else {
            self.fit(&image, long_edge)
        }
    }

    /// Resizes with premultiplied alpha, then composites onto white; the
    /// result equals compositing first, at a fraction of the pixels.
    fn fit_on_white(&mut self, image: RgbaImage, long_edge: u32) -> Result<RgbImage, PhotoError> {
        let target = fit_within(image.dimensions(), long_edge);
        let rgba = if target == image.dimensions() {
            image.into_raw()
        } else {
            self.resize(image.as_raw(), image.dimensions(), target, PixelType::U8x4)?
        };
        let rgb = flatten_on_white(&rgba);
        Ok(RgbImage::from_raw(target.0, target.1, rgb).expect("one RGB pixel per RGBA pixel"))
    }

    fn resize(
        &mut self,
        pixels: &[u8],
        (width, height): (u32, u32),
        (target_width, target_height): (u32, u32),
        pixel_type: PixelType,
    ) -> Result<Vec<u8>, PhotoError> {
        let resize_failed =
            |e: &dyn std::fmt::Display| PhotoError::EncodeFailed(format!("resize: {e}"));
        let src =
            ImageRef::new(width, height, pixels, pixel_type).map_err(|e| resize_failed(&e))?;
        let mut dst = Image::new(target_width, target_height, pixel_type);
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        self.inner
            .resize(&src, &mut dst, &options)
            .map_err(|e| resize_failed(&e))?;
        Ok(dst.into_vec())
    }
}

/// Scales `(width, height)` so the long edge is at most `long_edge`, keeping the aspect ratio.
fn fit_within((width, height): (u32, u32), long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(long_edge).max(1)
    };
    (scale(width), scale(height))
}

fn flatten_on_white(rgba: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(rgba.len() / 4 * 3);
    for pixel in rgba.chunks_exact(4) {
        let alpha = u32::from(pixel[3]);
        for &channel in &pixel[..3] {
            let blended = (u32::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            rgb.push(u8::try_from(blended).unwrap_or(u8::MAX));
        }
    }
    rgb
}

fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn image_format(format: SourceFormat) -> ImageFormat {
    match format {
        SourceFormat::Jpeg => ImageFormat::Jpeg,
        SourceFormat::Png => ImageFormat::Png,
        SourceFormat::WebP => ImageFormat::WebP,
    }
}

fn decode_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    limits
}

/// `dimensions` is `None` while the header is still being read.
fn decode_error(error: ImageError, dimensions: Option<(u32, u32)>) -> PhotoError {
    match (error, dimensions) {
        (ImageError::Limits(_), Some((width, height))) => {
            PhotoError::TooMuchMemory { width, height }
        }
        (ImageError::IoError(e), _) if e.kind() == io::ErrorKind::UnexpectedEof => {
            PhotoError::Truncated
        }
        (error, _) => PhotoError::DecodeFailed(error.to_string()),
    }
}
