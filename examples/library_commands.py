"""coder-pay as a library: every command's answer, as the dataclass the CLI renders."""

import coder_pay

est = coder_pay.estimate(state="CA", cert="CPC", years=7)                  # like `coder-pay estimate`
print("estimate", est.band, est.wage_year)

chk = coder_pay.offer(58000, state="OH", cert="CPC", years=4, setting="hospital")   # paid now: today's dollars
print("offer", round(chk.percentile), chk.verdict, chk.target, chk.vintage.wage_year, chk.vintage.reason)

print("take-home", coder_pay.take_home(65000, state="NY").result.take_home)
print("states", [r.code for r in coder_pay.states(sort="adjusted", top=3).rows])
offers = coder_pay.compare(offers=["OH:58000", "OH:27/h:insurance:remote"])
print("compare", [(r.label, r.market.mid) for r in offers.rows])
print("certs", [(r.code, r.uplift) for r in coder_pay.certs(state="TX", years=1).rows][:3])
car = coder_pay.career(state="OH", cert="CPC", years=8, span=2, ladder=True)
print("career", [(r.calendar_year, r.role, r.salary) for r in car.rows])

try:
    coder_pay.estimate(years=60)
except coder_pay.UsageError as e:                                          # names the parameter, not a CLI flag
    print("error", e.code, e.message)
