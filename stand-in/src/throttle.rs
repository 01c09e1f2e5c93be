// Throttling above a hidden rate: when set, a request that would make more than `per_second`
// requests in the last second is answered `RequestLimitExceeded` instead of being served, the way
// the real service enforces an account's limit without telling the client what it is.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::faults::Fault;

const WINDOW: Duration = Duration::from_secs(1);

/// The requests served within the last second, and how many are allowed.
#[derive(Debug)]
pub(crate) struct Throttle {
    per_second: usize,
    served: VecDeque<Instant>,
}

impl Throttle {
    pub(crate) fn new(per_second: u32) -> Self {
        Throttle {
            per_second: usize::try_from(per_second).unwrap_or(usize::MAX),
            served: VecDeque::new(),
        }
    }

    /// The throttling answer for a request arriving at `now`, or `None` when it may be served
    /// (it is then counted). Throttled requests are not counted, like a service that rejects them
    /// before they reach the action.
    pub(crate) fn check(&mut self, now: Instant) -> Option<Fault> {
        while self.served.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            self.served.pop_front();
        }
        if self.served.len() >= self.per_second {
            return Some(Fault::api_error(
                "RequestLimitExceeded",
                "The request rate of this account exceeds the limit.",
            ));
        }
        self.served.push_back(now);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_the_rate_within_a_second_is_throttled() {
        let mut throttle = Throttle::new(2);
        let t0 = Instant::now();
        assert!(throttle.check(t0).is_none());
        assert!(throttle.check(t0 + Duration::from_millis(10)).is_none());
        let refused = throttle
            .check(t0 + Duration::from_millis(20))
            .expect("a third within the second");
        assert_eq!(refused.kind(), "ApiError");
        // A second after the first, one more may go.
        assert!(throttle.check(t0 + Duration::from_millis(1000)).is_none());
        assert!(throttle.check(t0 + Duration::from_millis(1005)).is_some());
    }
}
