//! Choosing a language outside a page (API messages, server-side errors): from a cookie value or
//! an `Accept-Language` header, French when nothing matches.

use crate::i18n::Locale;
use leptos_i18n::Locale as _;

/// The name of the cookie that remembers the chosen language (leptos_i18n's).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The locale for one language tag such as `ar-MA` or `en`.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_', ';']).next().unwrap_or_default();
    Locale::get_all()
        .iter()
        .copied()
        .find(|l| l.as_str().eq_ignore_ascii_case(primary))
}

/// The best supported locale of an `Accept-Language` header, by quality then order.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(f32, usize, Locale)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            from_tag(tag).map(|l| (q, i, l))
        })
        .filter(|(q, _, _)| *q > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|(_, _, l)| *l)
}

/// Cookie first, then the browser's languages, then French.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    cookie
        .and_then(from_tag)
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_then_accept_language_then_french() {
        assert_eq!(choose(Some("ar"), Some("en")), Locale::ar);
        assert_eq!(choose(None, Some("de-DE, en;q=0.5, ar;q=0.9")), Locale::ar);
        assert_eq!(choose(None, Some("en-GB")), Locale::en);
        assert_eq!(choose(Some("xx"), Some("de")), Locale::fr);
        assert_eq!(choose(None, None), Locale::fr);
    }
}
