"""The pipeline beyond English and beyond the Latin script: a Russian rewrite and a Greek copy."""

from provenance.pipeline import compare, trace
from provenance.records import Document

RU_SOURCE = (
    "Пограничная служба сообщила о задержании 214 нарушителей на южном участке границы. "
    "По данным ведомства, операция продолжалась восемь недель и охватила три области. "
    "Сотрудники изъяли 37 автомобилей и более 2,5 миллиона рублей наличными. "
    "Руководитель службы Андрей Волков заявил, что число задержаний выросло на 60 процентов. "
    "В операции участвовали 450 пограничников и кинологи из соседних регионов. "
    "Следствие проверяет связи задержанных с организованными группами перевозчиков."
)
RU_REWRITE = (
    "Южная граница: итоги операции. "
    "Пограничная служба сообщила о задержании 214 нарушителей на южном участке границы. "
    "Операция, по данным ведомства, длилась восемь недель и прошла в трёх областях. "
    "Изъято 37 автомобилей и свыше 2,5 миллиона рублей наличными. "
    "Андрей Волков, руководитель службы, заявил, что число задержаний выросло на 60 процентов. "
    "Местные жители рассказали, что патрули на дорогах стали заметно чаще."
)
RU_OTHER = (
    "В городском парке открылась выставка цветов, которую посетили тысячи горожан. "
    "Организаторы привезли редкие сорта тюльпанов из ботанического сада. "
    "Выставка продлится до конца месяца, вход для детей бесплатный. "
    "Вечером в парке пройдёт концерт камерного оркестра."
)
EL_SOURCE = (
    "Η λιμενική αρχή ανακοίνωσε ότι 1.250 μετανάστες διασώθηκαν στο Αιγαίο μέσα σε δύο εβδομάδες. "
    "Σύμφωνα με το υπουργείο, οι επιχειρήσεις διάσωσης κράτησαν 14 ημέρες. "
    "Συνελήφθησαν 23 διακινητές και κατασχέθηκαν 9 ταχύπλοα σκάφη. "
    "Ο εκπρόσωπος Νίκος Παππάς δήλωσε ότι οι αφίξεις μειώθηκαν κατά 40 τοις εκατό."
)
EL_COPY = "Ειδήσεις. " + EL_SOURCE + " Η έρευνα συνεχίζεται."


def test_russian_rewrite_is_related_and_evidence_points_at_cyrillic_words() -> None:
    docs = [Document("ru_source", "<ru_source>", RU_SOURCE, date="2022-03-01"),
            Document("ru_rewrite", "<ru_rewrite>", RU_REWRITE, date="2022-03-04"),
            Document("ru_other", "<ru_other>", RU_OTHER, date="2022-03-02")]
    tr = trace(documents=docs, seed=1)
    assert [a.prepared.language for a in tr.analyses] == ["ru", "ru", "ru"]
    assert not any(a.translation.translated for a in tr.analyses)
    pairs = {frozenset((e.source, e.target)): e for e in tr.edges}
    assert set(pairs) == {frozenset(("ru_source", "ru_rewrite"))}
    e = pairs[frozenset(("ru_source", "ru_rewrite"))]
    raw = {d.id: d.raw for d in docs}
    assert len(e.alignments) >= 3
    for al in e.alignments:
        s, t = raw[e.source][al.source_start:al.source_end], raw[e.target][al.target_start:al.target_end]
        assert any("\u0400" <= ch <= "\u04ff" for ch in s) and any("\u0400" <= ch <= "\u04ff" for ch in t)
    keys = {c.a.key for c in e.shared_claims}
    assert any("214" in k for k in keys) and any("37" in k for k in keys)


def test_greek_copy_is_a_near_duplicate() -> None:
    c = compare(Document("el_a", "<el_a>", EL_SOURCE), Document("el_b", "<el_b>", EL_COPY))
    assert c.a.prepared.language == "el"
    assert c.relation in ("near_duplicate", "derives_from")
    assert len(c.edge.alignments) == 4
