"""Reference figures the tests check against, from sources independent of peacemap's code.

- Official present population on 1 January 2022, State Statistics Service of Ukraine, "Present
  population of Ukraine as of January 1, 2022", table 1 (as quoted in issue 4). AR Crimea and
  Sevastopol have no figure there.
- COD-PS projections for 1 January 2020 (OCHA/UNFPA adm1 sheet, as the data mirror's README
  quotes them).
"""

OFFICIAL_TOTALS = {"UA-14": 4_059_372, "UA-09": 2_102_921, "UA-23": 1_638_462, "UA-65": 1_001_598}
UKRAINE_TOTAL = 41_167_335
CRIMEA_PROJECTIONS = {"UA-43": 1_941_905, "UA-40": 391_460}
