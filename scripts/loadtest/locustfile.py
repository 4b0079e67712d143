"""The load test's simulated staff (run by scripts/loadtest/run.py through `make loadtest`).

Each simulated person signs in once with a demo account of their role and then moves between the
pages staff use, pausing between pages as a person reading them would (CCHC_LOAD_WAIT, seconds,
"min,max"). Requests are named by page, not by URL, so that the summary has one line per page.
The sign-in is reported under its own name: it costs a deliberately slow password hash and is
not a page of the application.
"""

import itertools
import os
import random
import re

import gevent
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("CCHC_LOAD_PASSWORD", "cchc-demo-2026")
WAIT = [float(part) for part in os.environ.get("CCHC_LOAD_WAIT", "2,6").split(",")]
PERIOD = os.environ.get("CCHC_LOAD_PERIOD", "")  # the dashboards' period; empty: the current year
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/plans/tasks/(\d+)/"')
PLAN_LINK = re.compile(r'href="/plans/(\d+)/"')
MEASURES = ("received", "finished", "finished_late", "pending", "pending_overdue")

# The demo's accounts (src/cchc/demo/data/people.yaml), by where they work.
PROVINCE = ("snv.quantri", "snv.thamdinh", "lanhdao.tinh")
AGENCY = ("stp.daumoi", "stp.giamdoc")
COMMUNE = ("nhatrang.canbo", "nhatrang.chutich")


class Staff(HttpUser):
    abstract = True
    accounts: tuple[str, ...] = ()
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.username = next(self._accounts())
        page = self.client.get("/login/", name="sign-in")
        token = TOKEN.search(page.text)
        form = {
            "username": self.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token and token.group(1),
        }
        with self.client.post(
            "/login/", form, name="sign-in", headers={"Referer": f"{self.host}/login/"}, catch_response=True
        ) as response:
            if "/login/" in response.url:  # the form again: refused
                response.failure(f"{self.username} could not sign in")
        plans = self.client.get("/plans/", name="plans")
        self.plan_ids = sorted({int(pk) for pk in PLAN_LINK.findall(plans.text)}) or [1]
        plan = self.client.get(f"/plans/{self.plan_ids[0]}/", name="plan")
        self.task_ids = sorted({int(pk) for pk in TASK_LINK.findall(plan.text)})[:40]

    @classmethod
    def _accounts(cls):
        # One cycle per role, shared by that role's simulated people: the accounts take turns.
        if "_cycle" not in cls.__dict__:
            cls._cycle = itertools.cycle(cls.accounts)
        return cls._cycle

    def period(self) -> str:
        return f"&period={PERIOD}" if PERIOD else ""

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def plan_list(self) -> None:
        self.client.get("/plans/", name="plans")

    @task(2)
    def plan(self) -> None:
        self.client.get(f"/plans/{random.choice(self.plan_ids)}/", name="plan")

    @task(2)
    def plan_dashboard(self) -> None:
        self.client.get(f"/plans/{random.choice(self.plan_ids)}/dashboard/", name="plan dashboard")

    @task(2)
    def task_page(self) -> None:
        if self.task_ids:
            self.client.get(f"/plans/tasks/{random.choice(self.task_ids)}/", name="task")

    @task(1)
    def reports(self) -> None:
        self.client.get(f"/plans/reports/plan/{random.choice(self.plan_ids)}/", name="reports")

    @task(3)
    def onestop_dashboard(self) -> None:
        self.client.get(f"/onestop/?{self.period()[1:]}", name="one-stop dashboard")

    @task(2)
    def dossier_list(self) -> None:
        measure = random.choice(MEASURES)
        self.client.get(f"/onestop/dossiers/?measure={measure}{self.period()}", name="dossier list")

    @task(1)
    def overdue(self) -> None:
        self.client.get("/onestop/overdue/", name="overdue dossiers")

    @task(1)
    def service_index(self) -> None:
        self.client.get("/onestop/index/", name="QĐ 766 index")

    @task(1)
    def parindex(self) -> None:
        self.client.get("/parindex/campaigns/2/", name="PAR Index campaign")

    @task(1)
    def parindex_ranking(self) -> None:
        self.client.get("/parindex/campaigns/1/ranking/", name="PAR Index ranking")

    @task(1)
    def sipas_list(self) -> None:
        self.client.get("/surveys/", name="SIPAS campaigns")

    @task(2)
    def sipas_campaign(self) -> None:
        self.client.get(f"/surveys/campaigns/{random.choice((1, 2))}/", name="SIPAS campaign")

    @task(1)
    def feedback(self) -> None:
        self.client.get("/surveys/feedback/", name="feedback list")

    @task(1)
    def units(self) -> None:
        self.client.get("/units/", name="units")


class ProvinceStaff(Staff):
    """The reform office, the appraisers and the provincial leadership: every unit in view."""

    weight = 3
    accounts = PROVINCE


class AgencyStaff(Staff):
    """A provincial agency's focal point and director."""

    weight = 4
    accounts = AGENCY


class CommuneStaff(Staff):
    """A commune's officer and chairman."""

    weight = 3
    accounts = COMMUNE


# Every request's page, time and outcome, written at the end: the driver's summary is computed from
# these (per page and over all pages), so that runs of several user classes can be merged.
_records: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None = None, **_kwargs) -> None:
    _records.append((name, response_time, exception is None))


@events.spawning_complete.add_listener
def _reset(**_kwargs) -> None:
    # Counted from a few seconds after the last arrival: the steady state, not the sign-ins (a
    # deliberately slow password hash each) of people arriving.
    gevent.spawn_later(float(os.environ.get("CCHC_LOAD_SETTLE_SECONDS", "0")), _records.clear)


@events.quitting.add_listener
def _write(**_kwargs) -> None:
    target = os.environ.get("CCHC_LOAD_TIMES")
    if target:
        with open(target, "a") as handle:
            handle.writelines(f"{name}\t{ms:.1f}\t{int(ok)}\n" for name, ms, ok in _records)
