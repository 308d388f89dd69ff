import threading

import pytest
from werkzeug.serving import make_server

from tests.sms_standin import KEY_ID, KEY_SECRET, SmsStandin


@pytest.fixture
def sms_standin():
    standin = SmsStandin()
    server = make_server("127.0.0.1", 0, standin, threaded=True)
    standin.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield standin
    server.shutdown()
    thread.join(timeout=5)


def sms_config(standin) -> dict:
    return {
        "SMS_PROVIDER": "aliyun",
        "SMS_API_BASE": standin.url,
        "SMS_ACCESS_KEY_ID": KEY_ID,
        "SMS_ACCESS_KEY_SECRET": KEY_SECRET,
        "SMS_SIGN_NAME": "临夏农品",
    }


@pytest.fixture
def app_config(app_config, sms_standin):
    return {**app_config, **sms_config(sms_standin)}
