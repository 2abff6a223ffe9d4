//! Caching credentials and refreshing them before they expire, single-flight.
//!
//! Reads take a shared lock and clone the cached value. When the value is
//! missing or due for refresh, callers queue on one async mutex; the first
//! fetches, the others find the fresh value when their turn comes, so many
//! tasks asking at once cause one fetch. A failed refresh keeps serving the
//! old credentials while they are still valid (the next call tries again);
//! expired credentials are never served.

use super::{Clock, Credentials, CredentialsError, CredentialsResult, ProvideCredentials};
use super::{ProvideCredentialsFuture, format_time};
use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, SystemTime};

/// How a [`CredentialsCache`] decides credentials are due.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// Refresh this long before the expiry (default 5 minutes). For
    /// credentials that live shorter than that, half their remaining
    /// lifetime is used instead, so they are not re-fetched on every call.
    pub refresh_before: Duration,
    pub clock: Clock,
}

impl Default for CacheSettings {
    fn default() -> CacheSettings {
        CacheSettings {
            refresh_before: Duration::from_secs(300),
            clock: Clock::system(),
        }
    }
}

struct Cached {
    credentials: Credentials,
    /// `None`: never (no expiry).
    refresh_at: Option<SystemTime>,
}

/// A provider behind a cache; itself a [`ProvideCredentials`].
pub struct CredentialsCache {
    provider: Box<dyn ProvideCredentials>,
    settings: CacheSettings,
    current: RwLock<Option<Cached>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expires = self.read(|c| c.credentials.expires_at.map(format_time));
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("refresh_before", &self.settings.refresh_before)
            .field("cached_until", &expires)
            .finish()
    }
}

impl CredentialsCache {
    pub fn new(provider: impl ProvideCredentials + 'static) -> CredentialsCache {
        CredentialsCache::with_settings(provider, CacheSettings::default())
    }

    pub fn with_settings(
        provider: impl ProvideCredentials + 'static,
        settings: CacheSettings,
    ) -> CredentialsCache {
        CredentialsCache {
            provider: Box::new(provider),
            settings,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Drops the cached credentials; the next call fetches.
    pub fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn read<T>(&self, f: impl FnOnce(&Cached) -> T) -> Option<T> {
        // A poisoned lock only means a panic elsewhere; the value is intact.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(f)
    }

    /// The cached credentials if they need no refresh at `now`.
    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        self.read(|c| match c.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(c.credentials.clone()),
        })
        .flatten()
    }

    /// The cached credentials if they have not expired at `now`.
    fn valid(&self, now: SystemTime) -> Option<Credentials> {
        self.read(|c| match c.credentials.expires_at {
            Some(at) if now >= at => None,
            _ => Some(c.credentials.clone()),
        })
        .flatten()
    }

    async fn get(&self) -> CredentialsResult {
        if let Some(c) = self.fresh(self.settings.clock.now()) {
            return Ok(c);
        }
        let _turn = self.refreshing.lock().await;
        // Whoever held the lock before may have refreshed already.
        let now = self.settings.clock.now();
        if let Some(c) = self.fresh(now) {
            return Ok(c);
        }
        match self.provider.provide_credentials().await {
            Ok(credentials) => {
                let now = self.settings.clock.now();
                let refresh_at = match credentials.expires_at {
                    None => None,
                    Some(expiry) if expiry <= now => {
                        return match self.valid(now) {
                            Some(old) => Ok(old),
                            None => Err(CredentialsError::failed(
                                "credentials cache",
                                format!(
                                    "the provider returned credentials that expired at {}",
                                    format_time(expiry)
                                ),
                            )),
                        };
                    }
                    Some(expiry) => {
                        let left = expiry.duration_since(now).unwrap_or_default();
                        Some(expiry - self.settings.refresh_before.min(left / 2))
                    }
                };
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            // Still valid: keep using them; a later call retries the refresh.
            Err(e) => self.valid(now).ok_or(e),
        }
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        if let Some(c) = self.fresh(self.settings.clock.now()) {
            return ProvideCredentialsFuture::ready(Ok(c));
        }
        ProvideCredentialsFuture::new(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    /// A provider that counts calls and hands out keys `K1`, `K2`, ...
    /// expiring `lifetime` after the (fake) current time.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime: Option<Duration>,
        now: Arc<AtomicU64>,
        fail: Mutex<bool>,
        delay: Duration,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
            ProvideCredentialsFuture::new(async move {
                tokio::time::sleep(self.delay).await;
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if *self.fail.lock().unwrap() {
                    return Err(CredentialsError::failed("counting", "down"));
                }
                let now =
                    SystemTime::UNIX_EPOCH + Duration::from_secs(self.now.load(Ordering::SeqCst));
                let c = Credentials::new(format!("K{n}"), "S", None);
                Ok(match self.lifetime {
                    Some(l) => c.expiring_at(now + l),
                    None => c,
                })
            })
        }
    }

    fn setup(
        lifetime: Option<Duration>,
        delay: Duration,
    ) -> (Arc<CredentialsCache>, Arc<Counting>, Arc<AtomicU64>) {
        let now = Arc::new(AtomicU64::new(1_000_000));
        let provider = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime,
            now: now.clone(),
            fail: Mutex::new(false),
            delay,
        });
        let clock_now = now.clone();
        let settings = CacheSettings {
            refresh_before: Duration::from_secs(300),
            clock: Clock::from_fn(move || {
                SystemTime::UNIX_EPOCH + Duration::from_secs(clock_now.load(Ordering::SeqCst))
            }),
        };
        let cache = Arc::new(CredentialsCache::with_settings(provider.clone(), settings));
        (cache, provider, now)
    }

    async fn key(cache: &CredentialsCache) -> String {
        cache.provide_credentials().await.unwrap().access_key_id
    }

    #[tokio::test]
    async fn keys_without_expiry_are_fetched_once() {
        let (cache, provider, now) = setup(None, Duration::ZERO);
        assert_eq!(key(&cache).await, "K1");
        now.fetch_add(86_400 * 365, Ordering::SeqCst);
        assert_eq!(key(&cache).await, "K1");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
        cache.invalidate();
        assert_eq!(key(&cache).await, "K2");
    }

    #[tokio::test]
    async fn refreshes_before_expiry_and_survives_a_failed_refresh() {
        let (cache, provider, now) = setup(Some(Duration::from_secs(3600)), Duration::ZERO);
        assert_eq!(key(&cache).await, "K1");
        // 54 minutes in: more than 5 minutes left, still cached.
        now.fetch_add(54 * 60, Ordering::SeqCst);
        assert_eq!(key(&cache).await, "K1");
        // 56 minutes in: inside the refresh window.
        now.fetch_add(2 * 60, Ordering::SeqCst);
        assert_eq!(key(&cache).await, "K2");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);

        // K2 expires at 116 min. Refresh fails at 112 min: K2 is still valid.
        *provider.fail.lock().unwrap() = true;
        now.fetch_add(56 * 60, Ordering::SeqCst);
        assert_eq!(key(&cache).await, "K2");
        // Past K2's expiry the failure surfaces.
        now.fetch_add(5 * 60, Ordering::SeqCst);
        let e = cache.provide_credentials().await.unwrap_err();
        assert_eq!(e.to_string(), "counting: down");
        // Recovery.
        *provider.fail.lock().unwrap() = false;
        assert!(key(&cache).await.starts_with('K'));
    }

    #[tokio::test]
    async fn short_lived_credentials_are_kept_for_half_their_life() {
        let (cache, provider, now) = setup(Some(Duration::from_secs(120)), Duration::ZERO);
        assert_eq!(key(&cache).await, "K1");
        now.fetch_add(59, Ordering::SeqCst);
        assert_eq!(key(&cache).await, "K1");
        now.fetch_add(1, Ordering::SeqCst);
        assert_eq!(key(&cache).await, "K2");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn already_expired_credentials_are_an_error() {
        let (cache, _, _) = setup(Some(Duration::ZERO), Duration::ZERO);
        let e = cache.provide_credentials().await.unwrap_err();
        assert!(e.message().contains("expired at"), "{e}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_tasks_at_once_cause_one_refresh() {
        // The fetch takes a while, so every task arrives while it is in flight.
        let (cache, provider, now) =
            setup(Some(Duration::from_secs(3600)), Duration::from_millis(50));
        for round in 1..=3 {
            let tasks: Vec<_> = (0..64)
                .map(|_| {
                    let cache = cache.clone();
                    tokio::spawn(async move { key(&cache).await })
                })
                .collect();
            for t in tasks {
                assert_eq!(t.await.unwrap(), format!("K{round}"));
            }
            assert_eq!(provider.calls.load(Ordering::SeqCst), round);
            // Into the next refresh window.
            now.fetch_add(58 * 60, Ordering::SeqCst);
        }
    }

    #[test]
    fn debug_shows_no_secrets() {
        let cache =
            CredentialsCache::new(Credentials::new("AKID", "SECRETKEY", Some("TOKEN".into())));
        let text = format!("{cache:?}");
        assert!(
            !text.contains("SECRETKEY") && !text.contains("TOKEN"),
            "{text}"
        );
    }
}
