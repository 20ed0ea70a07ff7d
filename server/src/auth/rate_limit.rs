//! Failed-login limits, per client address and per account, over a sliding window. Successful
//! logins do not count; a success clears the account's failures. Time is passed in, so tests
//! drive the clock.

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_address: usize,
    pub per_account: usize,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_address: 20,
            per_account: 5,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Default)]
struct Windows {
    addresses: HashMap<IpAddr, VecDeque<Instant>>,
    accounts: HashMap<String, VecDeque<Instant>>,
}

pub struct LoginLimiter {
    limits: Limits,
    windows: Mutex<Windows>,
}

/// Drops failures older than the window; answers how long until the oldest one expires if the
/// limit is reached.
fn blocked(
    q: &mut VecDeque<Instant>,
    limit: usize,
    window: Duration,
    now: Instant,
) -> Option<Duration> {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
    if q.len() >= limit {
        q.front()
            .map(|oldest| window.saturating_sub(now.duration_since(*oldest)))
    } else {
        None
    }
}

impl LoginLimiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            windows: Mutex::default(),
        }
    }

    /// `Err(wait)` when this address or this account must wait before trying again.
    pub fn check(&self, ip: Option<IpAddr>, account: &str, now: Instant) -> Result<(), Duration> {
        let Ok(mut w) = self.windows.lock() else {
            return Ok(());
        };
        let Limits {
            per_address,
            per_account,
            window,
        } = self.limits;
        let by_ip = ip.and_then(|ip| {
            w.addresses
                .get_mut(&ip)
                .and_then(|q| blocked(q, per_address, window, now))
        });
        let by_account = w
            .accounts
            .get_mut(account)
            .and_then(|q| blocked(q, per_account, window, now));
        match by_ip.into_iter().chain(by_account).max() {
            Some(wait) => Err(wait.max(Duration::from_secs(1))),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, ip: Option<IpAddr>, account: &str, now: Instant) {
        let Ok(mut w) = self.windows.lock() else {
            return;
        };
        if let Some(ip) = ip {
            w.addresses.entry(ip).or_default().push_back(now);
        }
        w.accounts
            .entry(account.to_owned())
            .or_default()
            .push_back(now);
        // Keep memory bounded under a spray of addresses or accounts.
        let window = self.limits.window;
        if w.addresses.len() > 100_000 {
            w.addresses
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        if w.accounts.len() > 100_000 {
            w.accounts
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
    }

    pub fn record_success(&self, account: &str) {
        if let Ok(mut w) = self.windows.lock() {
            w.accounts.remove(account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn the_account_limit_kicks_in_and_releases_after_the_window() {
        let l = LoginLimiter::new(Limits {
            per_address: 100,
            per_account: 3,
            window: 10 * MIN,
        });
        let ip = Some("192.0.2.1".parse().unwrap());
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(l.check(ip, "a@x", t0 + i * MIN).is_ok());
            l.record_failure(ip, "a@x", t0 + i * MIN);
        }
        let wait = l.check(ip, "a@x", t0 + 3 * MIN).unwrap_err();
        assert_eq!(wait, 7 * MIN, "until the first failure leaves the window");
        assert!(
            l.check(ip, "b@x", t0 + 3 * MIN).is_ok(),
            "other accounts unaffected"
        );
        assert!(l.check(ip, "a@x", t0 + 10 * MIN).is_ok(), "released");
    }

    #[test]
    fn the_address_limit_covers_every_account_tried_from_it() {
        let l = LoginLimiter::new(Limits {
            per_address: 4,
            per_account: 100,
            window: 10 * MIN,
        });
        let ip = Some("192.0.2.9".parse().unwrap());
        let t0 = Instant::now();
        for i in 0..4 {
            l.record_failure(ip, &format!("user{i}@x"), t0);
        }
        assert!(l.check(ip, "fresh@x", t0).is_err());
        assert!(
            l.check(Some("192.0.2.10".parse().unwrap()), "fresh@x", t0)
                .is_ok()
        );
    }

    #[test]
    fn success_clears_the_account() {
        let l = LoginLimiter::new(Limits {
            per_address: 100,
            per_account: 2,
            window: 10 * MIN,
        });
        let t0 = Instant::now();
        l.record_failure(None, "a@x", t0);
        l.record_success("a@x");
        l.record_failure(None, "a@x", t0);
        assert!(l.check(None, "a@x", t0).is_ok());
    }
}
