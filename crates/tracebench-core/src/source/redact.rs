//! Secrets never reach a case file: API keys and passwords in URLs become `***`.

/// Query parameters whose values are secrets.
const SECRET_PARAMS: &[&str] = &[
    "apikey",
    "api_key",
    "api-key",
    "key",
    "token",
    "access_token",
    "auth",
    "secret",
    "password",
    "pass",
];

/// Replaces the password of the URL's user info and the values of secret query parameters by
/// `***`. A string that is not a URL is returned unchanged.
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return url.to_string();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query().is_some() {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                if SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str()) {
                    (k.into_owned(), "***".to_string())
                } else {
                    (k.into_owned(), v.into_owned())
                }
            })
            .collect();
        let mut q = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                q.push('&');
            }
            q.push_str(k);
            q.push('=');
            q.push_str(v);
        }
        parsed.set_query(Some(&q));
    }
    parsed.to_string()
}

/// Header names whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
];

/// A request as it is stored and hashed: method, URL and headers, with the URL redacted
/// ([`redact_url`]) and the values of `Authorization`, cookies and API-key headers as `***`.
pub fn describe_request(method: &str, url: &str, headers: &[(&str, &str)]) -> String {
    let mut out = format!("{method} {}", redact_url(url));
    for (name, value) in headers {
        let shown = if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            "***"
        } else {
            value
        };
        out.push_str(&format!("\n{name}: {shown}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{describe_request, redact_url};

    #[test]
    fn secret_headers_and_cookies_are_masked() {
        let out = describe_request(
            "POST",
            "http://127.0.0.1:8332/?apikey=K3Y",
            &[
                ("Authorization", "Basic YW5hbHlzdDpodW50ZXIy"),
                ("Cookie", "session=S3SS"),
                ("X-Api-Key", "XK3Y"),
                ("Content-Type", "application/json"),
            ],
        );
        for secret in ["K3Y", "YW5hbHlzdDpodW50ZXIy", "S3SS", "XK3Y"] {
            assert!(!out.contains(secret), "{secret} must not survive: {out}");
        }
        assert!(
            out.contains("Authorization: ***") && out.contains("Cookie: ***"),
            "the masked headers are named: {out}"
        );
        assert!(
            out.contains("Content-Type: application/json"),
            "harmless headers stay for provenance: {out}"
        );
    }

    #[test]
    fn secrets_in_query_and_userinfo_are_masked() {
        let out = redact_url("https://user:hunter2@api.example/tx/ab?apikey=SEKRET123&chainid=1");
        assert!(
            !out.contains("SEKRET123"),
            "the api key must not survive: {out}"
        );
        assert!(
            !out.contains("hunter2"),
            "the password must not survive: {out}"
        );
        assert!(
            out.contains("chainid=1"),
            "harmless parameters stay for provenance: {out}"
        );
        assert!(
            out.contains("apikey=***"),
            "the masked parameter is named: {out}"
        );
    }

    #[test]
    fn plain_urls_are_unchanged() {
        assert_eq!(
            redact_url("http://127.0.0.1:3000/tx/abc"),
            "http://127.0.0.1:3000/tx/abc"
        );
    }
}
