//! Settings for the Linux WebView (WebKitGTK) that must be in the environment before it starts:
//! WebKit reads them once, when its processes start, and offers no API for them.

/// WebKitGTK's DMA-BUF renderer is turned off unless the user set the variable themselves.
///
/// That renderer shows a blank window on some GPU and compositor combinations (NVIDIA above
/// all), and the shared-memory path it falls back to works everywhere. It also keeps idle memory
/// lower: about 65 MB less resident across the app's processes (docs/benchmarks.md, "App").
/// A user who wants it back sets `WEBKIT_DISABLE_DMABUF_RENDERER=0`.
pub const DEFAULTS: &[(&str, &str)] = &[("WEBKIT_DISABLE_DMABUF_RENDERER", "1")];

/// The defaults to set, leaving alone every variable the user has already set.
pub fn missing(is_set: impl Fn(&str) -> bool) -> Vec<(&'static str, &'static str)> {
    DEFAULTS
        .iter()
        .copied()
        .filter(|(name, _)| !is_set(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_environment_gets_every_default() {
        assert_eq!(
            missing(|_| false),
            vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        );
    }

    #[test]
    fn a_variable_the_user_set_is_left_as_it_is() {
        assert!(missing(|name| name == "WEBKIT_DISABLE_DMABUF_RENDERER").is_empty());
    }
}
