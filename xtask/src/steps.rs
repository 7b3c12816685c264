//! Named, timed steps: each prints its name when it starts and its duration when it ends,
//! and a failure names the step it happened in.

use crate::process::TaskError;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Steps {
    done: Vec<(String, Duration, bool)>,
}

impl Steps {
    pub fn run<T>(
        &mut self,
        name: &str,
        step: impl FnOnce() -> Result<T, TaskError>,
    ) -> Result<T, TaskError> {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = step();
        let elapsed = started.elapsed();
        let ok = result.is_ok();
        println!(
            "<== {name}: {} in {}",
            if ok { "ok" } else { "FAILED" },
            seconds(elapsed)
        );
        self.done.push((name.to_string(), elapsed, ok));
        result.map_err(|source| TaskError::Step {
            step: name.to_string(),
            source: Box::new(source),
        })
    }

    pub fn print_summary(&self) {
        if self.done.is_empty() {
            return;
        }
        println!("\nxtask steps:");
        for (name, elapsed, ok) in &self.done {
            let mark = if *ok { "ok" } else { "FAILED" };
            println!("  {name:<26} {mark:<7} {:>9}", seconds(*elapsed));
        }
        let total: Duration = self.done.iter().map(|(_, elapsed, _)| *elapsed).sum();
        println!("  {:<26} {:<7} {:>9}", "total", "", seconds(total));
    }
}

fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}
