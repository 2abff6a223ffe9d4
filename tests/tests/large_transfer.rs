//! A 1 GiB S3 object goes up from a file and comes back down through a
//! local server while the process's peak resident set stays under 64 MiB:
//! bodies stream both ways (see `support/transfer.rs`). Alone in its test
//! binary, so no other test's memory counts.

#[path = "support/transfer.rs"]
mod transfer;

const GIB: u64 = 1 << 30;
const LIMIT_KIB: u64 = 64 * 1024;

#[test]
fn one_gib_up_and_down_in_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("botogen-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("object.bin");
    transfer::write_object(&path, GIB).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(transfer::run(&path, GIB));
    let _ = std::fs::remove_dir_all(&dir);
    let report = result.unwrap();
    let peak = report.peak_rss_kib.expect("VmHWM in /proc/self/status");
    assert_eq!(report.size, GIB);
    println!(
        "1 GiB: upload {:.2?}, download {:.2?}, peak RSS {} MiB",
        report.upload,
        report.download,
        peak / 1024
    );
    assert!(peak < LIMIT_KIB, "peak RSS {peak} KiB ≥ {LIMIT_KIB} KiB");
}
