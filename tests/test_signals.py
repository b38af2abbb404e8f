from provenance.signals import find_attributions, find_claims, find_dates, is_specific, publication_date, source_label


def keys(text):
    return sorted(c.key for c in find_claims(text) if is_specific(c))


def test_claim_variants_share_keys():
    assert keys("invested US$50 million") == keys("invested $50 million")
    assert keys("a 600 percent increase") == keys("a 600% increase")
    assert keys("in eight weeks") == ["days:56"]
    assert keys("1,300 personnel") == keys("1300 personnel") == ["num:1300"]


def test_malformed_number_is_an_anomaly_and_small_numbers_are_not_specific():
    assert "anomaly:1,3000" in keys("over 1,3000 personnel")
    assert keys("3 officials and COVID-19") == []


def test_dates_and_publication_date():
    raw = "Title\nBy Jane Roe | Reporter - Wed, 06/15/2022 - 12:04\n\nOn March 8, 2021 something happened."
    assert [d.iso for d in find_dates(raw)] == ["2022-06-15", "2021-03-08"]
    assert publication_date(raw) == ("2022-06-15", 0.8)
    assert publication_date("Body text only.\n" * 5) == (None, 0.0)


def test_attributions():
    raw = ("The minister told CNN on Friday. (Reuters) - Prices rose, according to a release last week. "
           "The Department of Homeland Security said it would act. He said nothing.")
    got = [(a.label, a.pattern) for a in find_attributions(raw)]
    assert ("CNN", "told") in got and ("Reuters", "wire") in got
    assert ("release", "according_to") in got and ("DHS", "said") in got
    assert all(label != "He" for label, _ in got)
    assert source_label("U.S. Department of Homeland Security") == "DHS"
