// The time left to pay. The server renders the value at page load, so it reads right without JavaScript; in the
// browser it ticks every second from the server's figure (not the device clock, which may be wrong).
import { useEffect, useState } from "react";
import type { Locale } from "~/lib/i18n";
import { formatCountdown } from "./order-text";

export function OrderCountdown({ locale, initialSeconds, onExpired }: {
  locale: Locale;
  initialSeconds: number;
  onExpired?: () => void;
}) {
  const [seconds, setSeconds] = useState(initialSeconds);
  useEffect(() => {
    setSeconds(initialSeconds);
    if (initialSeconds <= 0) return;
    const endsAt = Date.now() + initialSeconds * 1000;
    const timer = setInterval(() => {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      setSeconds(left);
      if (left === 0) {
        clearInterval(timer);
        onExpired?.();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [initialSeconds, onExpired]);
  // role="timer" is not announced on every tick; screen-reader users read it when they reach it.
  return (
    <span role="timer" className="order-countdown" data-seconds={seconds}>
      {formatCountdown(locale, seconds)}
    </span>
  );
}
