//! The built-in [`HttpClient`] (feature `default-client`): hyper 1's pooled
//! client over TCP, rustls (ring) with the Mozilla roots or a custom CA
//! bundle, HTTP proxies (forwarding for `http://`, `CONNECT` tunnels for
//! `https://`), host → address overrides, and HTTP/2 with the `http2`
//! feature.

use super::config::{Config, HttpConfig, ProxyConfig};
use super::http::{HttpClient, HttpError, HttpFuture};
use super::{TimeoutError, TimeoutKind};
use crate::body::{BoxError, SdkBody};
use http::Uri;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpStream;
use tower_service::Service;

/// hyper + rustls, pooled; cheap to clone (clones share the pool). Build
/// one with [`DefaultHttpClient::new`] to share its connections between
/// clients of several services ([`Config::http_client`]).
#[derive(Clone)]
pub struct DefaultHttpClient {
    client: HyperClient<Connector, SdkBody>,
    proxy: Arc<Matcher>,
}

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultHttpClient")
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl DefaultHttpClient {
    /// A client with `config.http`'s settings and `config.timeouts.connect`.
    /// Fails for an unreadable CA bundle, an unsupported proxy URL or
    /// HTTP/2 settings without the `http2` feature.
    pub fn new(config: &Config) -> Result<DefaultHttpClient, HttpError> {
        let env = |name: &str| std::env::var(name).ok();
        DefaultHttpClient::with_env(&config.http, config.timeouts.connect, &env)
    }

    pub(crate) fn with_env(
        http: &HttpConfig,
        connect_timeout: Option<Duration>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<DefaultHttpClient, HttpError> {
        let proxy = Arc::new(proxy_matcher(&http.proxy.resolve_with(env))?);
        let tls = tls_config(http)?;
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_keepalive(http.tcp_keepalive);
        // The connector bounds the whole connection set-up itself.
        tcp.set_connect_timeout(None);
        let connector = Connector {
            tcp,
            resolve: Arc::new(http.resolve.clone()),
            proxy: proxy.clone(),
            tls: tokio_rustls::TlsConnector::from(Arc::new(tls)),
            connect_timeout,
        };
        let mut builder = HyperClient::builder(TokioExecutor::new());
        builder
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(http.pool_idle_timeout)
            .pool_max_idle_per_host(if http.keep_alive {
                http.pool_max_idle_per_host
            } else {
                0
            });
        if http.http2_prior_knowledge {
            #[cfg(feature = "http2")]
            builder.http2_only(true);
            #[cfg(not(feature = "http2"))]
            return Err(HttpError::other(
                "http2_prior_knowledge needs botogen-runtime's `http2` feature",
            ));
        }
        Ok(DefaultHttpClient {
            client: builder.build(connector),
            proxy,
        })
    }
}

impl HttpClient for DefaultHttpClient {
    fn send(&self, mut request: http::Request<SdkBody>) -> HttpFuture<'_> {
        // A plain-HTTP request through a proxy goes to the proxy in absolute
        // form and carries the proxy's credentials.
        if request.uri().scheme() == Some(&http::uri::Scheme::HTTP)
            && let Some(intercept) = self.proxy.intercept(request.uri())
            && let Some(auth) = intercept.basic_auth()
        {
            request
                .headers_mut()
                .insert(http::header::PROXY_AUTHORIZATION, auth.clone());
        }
        let response = self.client.request(request);
        Box::pin(async move {
            match response.await {
                Ok(response) => Ok(response.map(SdkBody::from_body)),
                Err(e) if e.is_connect() => Err(HttpError::connect(e)),
                Err(e) => Err(HttpError::io(e)),
            }
        })
    }
}

fn proxy_matcher(proxy: &ProxyConfig) -> Result<Matcher, HttpError> {
    let ProxyConfig::Custom {
        http,
        https,
        no_proxy,
    } = proxy
    else {
        return Ok(Matcher::builder().build());
    };
    for url in [http, https].into_iter().flatten() {
        let uri: Uri = url
            .parse()
            .map_err(|e| HttpError::other(format!("invalid proxy URL {url:?}: {e}")))?;
        match uri.scheme_str() {
            Some("http") | None => {}
            Some(other) => {
                return Err(HttpError::other(format!(
                    "proxy {url:?}: only http:// proxies are supported, not {other}://"
                )));
            }
        }
        if uri.host().is_none() {
            return Err(HttpError::other(format!("proxy URL {url:?} has no host")));
        }
    }
    Ok(Matcher::builder()
        .http(http.clone().unwrap_or_default())
        .https(https.clone().unwrap_or_default())
        .no(no_proxy.clone().unwrap_or_default())
        .build())
}

fn tls_config(http: &HttpConfig) -> Result<rustls::ClientConfig, HttpError> {
    let mut roots = rustls::RootCertStore::empty();
    match &http.ca_bundle {
        Some(path) => {
            let bad = |e: &dyn fmt::Display| {
                HttpError::other(format!("cannot read CA bundle {}: {e}", path.display()))
            };
            for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(&e))? {
                roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
            }
            if roots.is_empty() {
                return Err(bad(&"no certificates in the file"));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HttpError::other(format!("cannot set up TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
}

/// Opens connections: overrides, proxy, TCP, TLS, all within the connect timeout.
#[derive(Clone)]
struct Connector {
    tcp: HttpConnector,
    resolve: Arc<Vec<(String, SocketAddr)>>,
    proxy: Arc<Matcher>,
    tls: tokio_rustls::TlsConnector,
    connect_timeout: Option<Duration>,
}

type ConnectFuture = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = ConnectFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> ConnectFuture {
        let this = self.clone();
        Box::pin(async move {
            match this.connect_timeout {
                Some(after) => tokio::time::timeout(after, this.connect(dst))
                    .await
                    .unwrap_or_else(|_| {
                        Err(Box::new(TimeoutError {
                            kind: TimeoutKind::Connect,
                            after,
                        }))
                    }),
                None => this.connect(dst).await,
            }
        })
    }
}

impl Connector {
    async fn connect(self, dst: Uri) -> Result<Conn, BoxError> {
        let https = dst.scheme() == Some(&http::uri::Scheme::HTTPS);
        let host = dst
            .host()
            .ok_or("the request URL has no host")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let tcp = Tcp {
            inner: self.tcp.clone(),
            resolve: self.resolve.clone(),
        };
        let (stream, proxied) = match self.proxy.intercept(&dst) {
            None => (tcp.clone().call(dst.clone()).await?, false),
            Some(proxy) if https => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), tcp);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let stream = tunnel.call(dst.clone()).await.map_err(|e| {
                    format!("proxy {}: {}", proxy.uri(), DisplayChain(&e)).to_owned()
                })?;
                (stream, false)
            }
            Some(proxy) => (tcp.clone().call(proxy.uri().clone()).await?, true),
        };
        if !https {
            return Ok(Conn {
                io: Io::Plain(stream),
                proxied,
                h2: false,
            });
        }
        let name = ServerName::try_from(host.clone())
            .map_err(|e| format!("invalid TLS server name {host:?}: {e}"))?;
        let tls = self
            .tls
            .connect(name, stream.into_inner())
            .await
            .map_err(|e| format!("TLS handshake with {host} failed: {e}"))?;
        let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
        Ok(Conn {
            io: Io::Tls(Box::new(TokioIo::new(tls))),
            proxied: false,
            h2,
        })
    }
}

/// An error's text with its causes, for errors that end up as strings.
struct DisplayChain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for DisplayChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::write_chain(f, self.0)
    }
}

/// TCP connections, with the host → address overrides applied.
#[derive(Clone)]
struct Tcp {
    inner: HttpConnector,
    resolve: Arc<Vec<(String, SocketAddr)>>,
}

impl Service<Uri> for Tcp {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<TokioIo<TcpStream>, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut inner = self.inner.clone();
        let host = dst.host().unwrap_or_default().to_ascii_lowercase();
        let target = match self.resolve.iter().find(|(h, _)| *h == host) {
            // Connect to the override; everything above TCP still names the host.
            Some((_, addr)) => format!("http://{addr}")
                .parse::<Uri>()
                .map_err(BoxError::from),
            None => Ok(dst),
        };
        Box::pin(async move { Ok(inner.call(target?).await?) })
    }
}

/// A connection: TCP or TLS over TCP.
pub(crate) struct Conn {
    io: Io,
    /// Connected to a forwarding proxy (requests go in absolute form).
    proxied: bool,
    h2: bool,
}

enum Io {
    Plain(TokioIo<TcpStream>),
    Tls(Box<TokioIo<tokio_rustls::client::TlsStream<TcpStream>>>),
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        let connected = Connected::new().proxy(self.proxied);
        if self.h2 {
            connected.negotiated_h2()
        } else {
            connected
        }
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        match &mut self.get_mut().io {
            Io::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Io::Tls(s) => Pin::new(&mut **s).poll_read(cx, buf),
        }
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match &mut self.get_mut().io {
            Io::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Io::Tls(s) => Pin::new(&mut **s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match &mut self.get_mut().io {
            Io::Plain(s) => Pin::new(s).poll_flush(cx),
            Io::Tls(s) => Pin::new(&mut **s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match &mut self.get_mut().io {
            Io::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Io::Tls(s) => Pin::new(&mut **s).poll_shutdown(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match &self.io {
            Io::Plain(s) => s.is_write_vectored(),
            Io::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        match &mut self.get_mut().io {
            Io::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Io::Tls(s) => Pin::new(&mut **s).poll_write_vectored(cx, bufs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_reported_not_panicked() {
        let none = |_: &str| None;
        let http = HttpConfig {
            proxy: ProxyConfig::all("socks5://p:1080"),
            ..HttpConfig::default()
        };
        let e = DefaultHttpClient::with_env(&http, None, &none).unwrap_err();
        assert!(e.into_source().to_string().contains("only http:// proxies"));
        let http = HttpConfig {
            ca_bundle: Some("/nonexistent/bundle.pem".into()),
            ..HttpConfig::default()
        };
        let e = DefaultHttpClient::with_env(&http, None, &none).unwrap_err();
        assert!(
            e.into_source()
                .to_string()
                .contains("/nonexistent/bundle.pem"),
            "names the file"
        );
        assert!(DefaultHttpClient::with_env(&HttpConfig::default(), None, &none).is_ok());
    }
}
