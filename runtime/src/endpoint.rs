//! A checked endpoint URL and the `Host` header value it gives.
//!
//! Shared by the send loop and the credential providers that call Tencent Cloud themselves (CVM
//! metadata, STS); it depends on no other module of the crate.

use reqwest::Url;

/// A checked endpoint: the URL to post to and the `Host` header value signed and sent.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub(crate) url: Url,
    pub(crate) host: String,
}

impl Endpoint {
    /// Checks `text` is an `http` or `https` URL with a host and nothing the signature cannot
    /// cover (TC3 signs the path `/` and, for POST, an empty query). The error is the problem in
    /// words, naming the endpoint; callers wrap it in their own error type.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("endpoint {text:?} {why}");
        let url = Url::parse(text).map_err(|e| bad(&format!("is not a valid URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err("endpoint URL must not contain a user name or password".to_owned());
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("must start with https:// or http://"));
        }
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(bad("has no host"));
        };
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not have a path, query or fragment"));
        }
        // The same `host[:port]` an HTTP/1 client puts in `Host`: the port only when it is not
        // the scheme's default (which the URL parser already dropped).
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Endpoint { url, host })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_give_the_host_header_that_is_sent() {
        for (url, host) in [
            ("https://teo.tencentcloudapi.com", "teo.tencentcloudapi.com"),
            ("https://teo.intl.tencentcloudapi.com/", "teo.intl.tencentcloudapi.com"),
            ("https://TEO.TencentCloudAPI.com:443", "teo.tencentcloudapi.com"),
            ("http://127.0.0.1:8080", "127.0.0.1:8080"),
            ("http://localhost:80/", "localhost"),
            ("http://[::1]:9000", "[::1]:9000"),
            ("https://example.com:8443", "example.com:8443"),
        ] {
            assert_eq!(Endpoint::parse(url).unwrap().host, host, "{url}");
        }
    }

    #[test]
    fn bad_endpoints_are_named_in_the_error() {
        for (url, why) in [
            (
                "teo.tencentcloudapi.com",
                "is not a valid URL: relative URL without a base",
            ),
            ("ftp://teo.tencentcloudapi.com", "must start with https:// or http://"),
            (
                "https://teo.tencentcloudapi.com/v3",
                "must not have a path, query or fragment",
            ),
            (
                "https://teo.tencentcloudapi.com/?a=b",
                "must not have a path, query or fragment",
            ),
            ("unix:/run/socket", "must start with https:// or http://"),
        ] {
            assert_eq!(Endpoint::parse(url).unwrap_err(), format!("endpoint {url:?} {why}"));
        }
        let err = Endpoint::parse("https://user:hunter2@teo.tencentcloudapi.com").unwrap_err();
        assert_eq!(err, "endpoint URL must not contain a user name or password");
    }
}
