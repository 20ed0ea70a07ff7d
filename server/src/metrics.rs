//! Counters and latency histograms for `/metrics`, in the Prometheus text format (0.0.4).
//! Kept in-process and tiny: a handful of families, labelled by route pattern, never by raw
//! path, so cardinality stays bounded.

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use std::{
    collections::BTreeMap,
    fmt::Write,
    sync::{Arc, Mutex},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

/// Upper bounds of the request-duration buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    durations: BTreeMap<String, Histogram>,
}

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
    started: Instant,
    start_unix: f64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            inner: Arc::default(),
            started: Instant::now(),
            start_unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or_default(),
        }
    }
}

impl Metrics {
    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let h = inner.durations.entry(route.to_owned()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    /// Renders every family; `db_up` is sampled by the caller at scrape time.
    pub fn render(&self, db_up: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP terrain_build_info Version of the running terrain binary."
        );
        let _ = writeln!(out, "# TYPE terrain_build_info gauge");
        let _ = writeln!(
            out,
            "terrain_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "# HELP process_start_time_seconds Start time of the process since the Unix epoch."
        );
        let _ = writeln!(out, "# TYPE process_start_time_seconds gauge");
        let _ = writeln!(out, "process_start_time_seconds {}", self.start_unix);
        let _ = writeln!(
            out,
            "# HELP terrain_uptime_seconds Seconds since the server started."
        );
        let _ = writeln!(out, "# TYPE terrain_uptime_seconds gauge");
        let _ = writeln!(
            out,
            "terrain_uptime_seconds {:.3}",
            self.started.elapsed().as_secs_f64()
        );
        let _ = writeln!(
            out,
            "# HELP terrain_database_up Whether the database answered at scrape time."
        );
        let _ = writeln!(out, "# TYPE terrain_database_up gauge");
        let _ = writeln!(out, "terrain_database_up {}", u8::from(db_up));

        let Ok(inner) = self.inner.lock() else {
            return out;
        };
        let _ = writeln!(
            out,
            "# HELP terrain_http_requests_total HTTP requests answered, by method, route and status."
        );
        let _ = writeln!(out, "# TYPE terrain_http_requests_total counter");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "terrain_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(method),
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP terrain_http_request_duration_seconds Time to answer HTTP requests, by route."
        );
        let _ = writeln!(
            out,
            "# TYPE terrain_http_request_duration_seconds histogram"
        );
        for (route, h) in &inner.durations {
            let route = escape(route);
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "terrain_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "terrain_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "terrain_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "terrain_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        out
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Axum middleware recording every request under its route pattern (or `unmatched`).
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    metrics.observe_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe_request("GET", "/", 200, 0.003);
        m.observe_request("GET", "/", 200, 0.2);
        m.observe_request("GET", "/\"x", 404, 0.0001);
        let text = m.render(true);
        assert!(
            text.contains(
                "terrain_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 2"
            )
        );
        assert!(text.contains("route=\"/\\\"x\""), "labels are escaped");
        assert!(
            text.contains(
                "terrain_http_request_duration_seconds_bucket{route=\"/\",le=\"0.005\"} 1"
            )
        );
        assert!(
            text.contains(
                "terrain_http_request_duration_seconds_bucket{route=\"/\",le=\"0.25\"} 2"
            )
        );
        assert!(text.contains("terrain_http_request_duration_seconds_count{route=\"/\"} 2"));
        assert!(text.contains("terrain_database_up 1"));
    }
}
