"""Settings of the jobs and notifications, read from the environment (0 allowed: tests)."""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def job_settings() -> dict:
    return {
        # Where enqueued work goes: "redis" (REDIS_URL), "sqlite" (a file in instance/),
        # "none" (nothing is pushed; `flask jobs run-due` runs what is queued), or "auto":
        # redis when REDIS_URL is set, else sqlite.
        "JOBS_BACKEND": os.environ.get("JOBS_BACKEND", "auto"),
        "JOBS_QUEUE_NAME": os.environ.get("JOBS_QUEUE_NAME", "linxia"),
        # How long an unpaid online order holds its stock before the job expires it.
        "PAYMENT_HOLD_MINUTES": _int("PAYMENT_HOLD_MINUTES", 30),
        "PICKUP_REMINDER_DAYS": _int("PICKUP_REMINDER_DAYS", 3),
        "PICKUP_HOLD_DAYS": _int("PICKUP_HOLD_DAYS", 7),
        # Registry uploads larger than this are imported by a worker (progress page).
        "BACKGROUND_IMPORT_BYTES": _int("BACKGROUND_IMPORT_BYTES", 64 * 1024),
        # SMS: "log" (development: written to the log only), "aliyun" (Aliyun's SendSms
        # API, or a stand-in at SMS_API_BASE), "off".
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "log"),
        "SMS_API_BASE": os.environ.get("SMS_API_BASE", "https://dysmsapi.aliyuncs.com"),
        "SMS_ACCESS_KEY_ID": os.environ.get("SMS_ACCESS_KEY_ID") or None,
        "SMS_ACCESS_KEY_SECRET": os.environ.get("SMS_ACCESS_KEY_SECRET") or None,
        "SMS_SIGN_NAME": os.environ.get("SMS_SIGN_NAME", "临夏农品"),
    }
