//! A small hand-rolled timing loop: calibrated batches, interleaved sides,
//! median of N rounds.
//!
//! The machine is shared and noisy, so the contenders of one comparison run
//! in alternating order inside the same round: a burst of load slows both,
//! and the median over rounds discards the worst bursts.

use std::time::{Duration, Instant};

/// One thing to time: a name and a closure doing one operation.
pub struct Case<'a> {
    pub name: &'static str,
    pub run: Box<dyn FnMut() + 'a>,
}

/// Per-operation times of one case, in nanoseconds.
#[derive(Debug, Clone)]
pub struct Stats {
    pub name: &'static str,
    pub median_ns: f64,
    pub p25_ns: f64,
    pub p75_ns: f64,
    pub iters_per_round: u64,
}

/// How many calls of `run` take at least `target`; doubles from 1.
fn calibrate(run: &mut dyn FnMut(), target: Duration) -> u64 {
    let mut n: u64 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..n {
            run();
        }
        if start.elapsed() >= target || n >= 1 << 24 {
            return n;
        }
        n *= 2;
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Times every case for `rounds` rounds of about `batch` each, rotating the
/// order of the cases from round to round.
pub fn compare(cases: &mut [Case<'_>], rounds: usize, batch: Duration) -> Vec<Stats> {
    // Warm caches and allocator pools before calibrating.
    for case in cases.iter_mut() {
        (case.run)();
    }
    let iters: Vec<u64> = cases
        .iter_mut()
        .map(|c| calibrate(&mut c.run, batch))
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        for k in 0..cases.len() {
            let i = (k + round) % cases.len();
            let n = iters[i];
            let run = &mut cases[i].run;
            let start = Instant::now();
            for _ in 0..n {
                run();
            }
            samples[i].push(start.elapsed().as_nanos() as f64 / n as f64);
        }
    }
    cases
        .iter()
        .zip(samples)
        .zip(iters)
        .map(|((case, mut s), n)| {
            s.sort_by(f64::total_cmp);
            Stats {
                name: case.name,
                median_ns: percentile(&s, 0.5),
                p25_ns: percentile(&s, 0.25),
                p75_ns: percentile(&s, 0.75),
                iters_per_round: n,
            }
        })
        .collect()
}

/// Human-readable duration for a nanosecond count.
pub fn fmt_ns(ns: f64) -> String {
    if !ns.is_finite() {
        "n/a".to_owned()
    } else if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Throughput in MB/s (10^6 bytes) for `bytes` processed in `ns`.
pub fn mb_per_s(bytes: usize, ns: f64) -> f64 {
    bytes as f64 / (ns / 1e9) / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_picks_middle() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.5), 3.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.0), 1.0);
        assert!(percentile(&[], 0.5).is_nan());
    }

    #[test]
    fn compare_times_each_case() {
        let mut a = 0u64;
        let mut cases = vec![Case {
            name: "count",
            run: Box::new(|| a = std::hint::black_box(a + 1)),
        }];
        let stats = compare(&mut cases, 3, Duration::from_micros(200));
        drop(cases);
        assert_eq!(stats.len(), 1);
        assert_eq!(stats[0].name, "count");
        assert!(stats[0].median_ns > 0.0);
        assert!(a > 3);
    }

    #[test]
    fn formats_units() {
        assert_eq!(fmt_ns(1500.0), "1.5 µs");
        assert_eq!(fmt_ns(2_500_000.0), "2.50 ms");
        assert!((mb_per_s(1_000_000, 1e9) - 1.0).abs() < 1e-9);
    }
}
