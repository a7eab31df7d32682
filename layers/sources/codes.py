"""Ukraine's first-level units by ISO 3166-2 code, their English names, and the groups the plans
turn on: a reference table every module may use (no geometry, nothing read)."""

CRIMEA = "UA-43"
SEVASTOPOL = "UA-40"
DONETSK = "UA-14"
LUHANSK = "UA-09"
ZAPORIZHZHIA = "UA-23"
KHERSON = "UA-65"
# Crimea is reported both as AR Crimea and Sevastopol apart, and together under this code.
CRIMEA_WITH_SEVASTOPOL = "UA-43+UA-40"
FIVE_REGIONS = (CRIMEA_WITH_SEVASTOPOL, DONETSK, LUHANSK, ZAPORIZHZHIA, KHERSON)
# The six first-level units the five regions are made of: every plan gives each a rule.
PLAN_UNITS = (CRIMEA, SEVASTOPOL, DONETSK, LUHANSK, ZAPORIZHZHIA, KHERSON)

# English short names (ISO 3166-2:UA, romanised per the 2010 national standard).
REGION_NAMES = {
    "UA-05": "Vinnytsia",
    "UA-07": "Volyn",
    "UA-09": "Luhansk",
    "UA-12": "Dnipropetrovsk",
    "UA-14": "Donetsk",
    "UA-18": "Zhytomyr",
    "UA-21": "Zakarpattia",
    "UA-23": "Zaporizhzhia",
    "UA-26": "Ivano-Frankivsk",
    "UA-30": "Kyiv (city)",
    "UA-32": "Kyiv",
    "UA-35": "Kirovohrad",
    "UA-40": "Sevastopol",
    "UA-43": "AR Crimea",
    "UA-46": "Lviv",
    "UA-48": "Mykolaiv",
    "UA-51": "Odesa",
    "UA-53": "Poltava",
    "UA-56": "Rivne",
    "UA-59": "Sumy",
    "UA-61": "Ternopil",
    "UA-63": "Kharkiv",
    "UA-65": "Kherson",
    "UA-68": "Khmelnytskyi",
    "UA-71": "Cherkasy",
    "UA-74": "Chernihiv",
    "UA-77": "Chernivtsi",
    CRIMEA_WITH_SEVASTOPOL: "Crimea (AR Crimea and Sevastopol)",
}
