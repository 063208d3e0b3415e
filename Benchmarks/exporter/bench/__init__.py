"""On-demand benchmarks of qga_exporter: poll cost against the real qemu-ga, fleet scale with
qga-sim, and /metrics under load. Entry point: Benchmarks/exporter/run."""
