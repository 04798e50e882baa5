"""Kinds of deadline mistake fixed after the clause rule's first held-out reading (issue 19 item 6).

One test per kind, with sentences written for these tests in several languages (none is from the
training data, the dev set or a held-out split).
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.dates import find_dates
from nlu.deadlines import is_deadline

TODAY = dt.date(2026, 11, 24)  # a Tuesday


def _deadline(language: str, text: str) -> bool:
    return is_deadline(text, language, find_dates(text, language, TODAY), TODAY)


# Urdu and Bengali put the finite verb last: the clause ends after it, so a past verb says nothing about
# a date named after it; a date before it is still its own.
@pytest.mark.parametrize(("language", "text"), [
    ("ur", "vakeel se mila tha hearing 18 tarikh"),
    ("ur", "ہم عدالت گئے تھے اگلی تاریخ 18 تاریخ"),
    ("bn", "council e gechilam appointment 12 tarikh"),
    ("bn", "আমি অফিসে গিয়েছিলাম শুনানি ১৮ তারিখ"),
])
def test_a_verb_final_clause_ends_at_its_verb(language: str, text: str) -> None:
    assert _deadline(language, text)


@pytest.mark.parametrize(("language", "text"), [
    ("ur", "5 tarikh ko court gaya tha phir ghar wapas aaya"),
    ("bn", "৫ তারিখে কোর্টে গিয়েছিলাম"),
])
def test_a_date_before_a_past_verb_is_still_past(language: str, text: str) -> None:
    assert not _deadline(language, text)


# A span of months ("from March until October") says how long something lasted, not a day to act by.
@pytest.mark.parametrize(("language", "text"), [
    ("en", "I cleaned offices from April to September with no contract"),
    ("ar", "سكنت بالبيت من ابريل لغاية سبتمبر بدون عقد"),
    ("pl", "pracowałem tam od kwietnia do września bez umowy"),
])
def test_a_span_of_months_is_not_a_limit(language: str, text: str) -> None:
    assert not _deadline(language, text)


def test_a_month_with_a_cue_and_no_span_is_still_a_limit() -> None:
    assert _deadline("en", "the council want everything sorted by March")


# Bengali writes May in two letters ("মে"): after a day number it is a date.
def test_a_two_letter_month_after_a_day_is_a_date() -> None:
    text = "আমার শুনানি ১৪ মে"
    assert [found.value for found in find_dates(text, "bn", TODAY)] == [dt.date(2027, 5, 14)]
    assert _deadline("bn", text)


# A date set in a past form ("was adjourned to", "foi adiada para") is still to come.
@pytest.mark.parametrize(("language", "text"), [
    ("en", "the hearing was adjourned to 15 January"),
    ("pt", "a audiência foi adiada para 20 de janeiro"),
    ("pl", "rozprawę przełożono na 20 stycznia"),
    ("ro", "ședința a fost amânată pe 20 ianuarie"),
])
def test_a_date_set_in_a_past_form_is_to_come(language: str, text: str) -> None:
    assert _deadline(language, text)


# Arabizi limit cues ("7atta", "qabl") beside a date, and Bengali "এর মধ্যে" alone ("meanwhile").
def test_arabizi_cues_and_a_bare_meanwhile() -> None:
    assert _deadline("ar", "lazim edfa3 el fatura qabl 15 January")
    assert not _deadline("bn", "এর মধ্যে আমার ছেলে অসুস্থ হয়ে পড়ল")
    assert _deadline("bn", "shukrobar er moddhe form jama dite hobe")


# "today" the date finder missed ("aaj", "aajkei") is read as today: a limit beside a duty only.
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ur", "bank wale keh rahe hain aaj hi payment karna hai warna account band", True),
    ("bn", "aajkei rent dite hobe", True),
    ("ur", "aaj mera mood kharab hai", False),
])
def test_a_missed_today_counts_beside_a_duty(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected


# A deadline word asked about as a subject ("a question about deadlines") sets no limit; a date still does.
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "quick question about appeal deadlines in general", False),
    ("pl", "co oznacza termin wypowiedzenia w umowie", False),
    ("ro", "am o intrebare despre termenul de plata", False),
    ("en", "question: court is on 12/12, can someone come with me", True),
])
def test_a_deadline_word_as_a_topic_is_no_limit(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected


# "Before" and "ago" are one word in Arabic ("قبل") and Somali ("ka hor"): beside a month it says by when,
# beside a length how long ago.
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ar", "لازم ارجع الاستمارة قبل آخر فبراير", True),
    ("ar", "البنك بدو الدفعة قبل نهاية مارس", True),
    ("so", "foomka waa in la celiyaa ka hor Maarso", True),
    ("ar", "طردوني من الشغل قبل شهرين", False),
    ("so", "shaqada waxaa laga eryay laba bilood ka hor", False),
])
def test_before_a_month_is_a_limit_and_before_a_length_is_ago(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected


# A month's end and a named feast as the limit, a morning "tomorrow", a day number with "by" ("tak"), and a
# reporting verb that starts a new clause ("they told me: leave by Monday").
@pytest.mark.parametrize(("language", "text"), [
    ("so", "kirada waa in la bixiyaa dhammaadka bishan"),
    ("bn", "মার্চের শেষের মধ্যে কাগজ জমা দিতে হবে"),
    ("bn", "landlord chay christmas er age bari chhere dei"),
    ("ar", "صاحب الشقة بدو ياني افضي قبل الكريسماس"),
    ("ur", "کل صبح کونسل والے آ رہے ہیں"),
    ("bn", "কাল সকালে শুনানি আছে"),
    ("ur", "bank 20 tak poori raqam mang raha hai"),
    ("so", "waxay igu yiraahdeen guriga ka bax talaadada soo socota"),
    ("so", "dukumentiyada waa in la keenaa hal toddobaad gudihiis"),
])
def test_more_ways_of_saying_by_when(language: str, text: str) -> None:
    assert _deadline(language, text)


# Christmas as the limit in every language; a night or the day after tomorrow with "if I don't"; the past
# form a subjunctive takes in Polish and Ukrainian ("żebym się wyprowadziła", "щоб ми виїхали") is no past.
@pytest.mark.parametrize(("language", "text"), [
    ("en", "the council want the arrears cleared before christmas"),
    ("cy", "mae'r landlord eisiau i fi adael cyn y Nadolig"),
    ("pl", "właściciel chce pieniędzy przed świętami"),
    ("pt", "o senhorio quer a casa vazia antes do Natal"),
    ("ro", "proprietarul vrea să plec înainte de Crăciun"),
    ("uk", "орендодавець хоче, щоб я з'їхала до Різдва"),
    ("cy", "mae'r beilïaid yn dod drennydd"),
    ("cy", "bydd y trydan yn cael ei dorri heno os na fydda i'n talu"),
    ("pl", "sąsiad chce żebym się wyprowadziła do 20-go"),
    ("uk", "хоче щоб ми виїхали до 20-го"),
])
def test_christmas_tonight_and_a_subjunctive(language: str, text: str) -> None:
    assert _deadline(language, text)


# Fifth round (from the held-out check half and the blind set's Arabic and Somali misses, read once the
# new blind split D was being written): each kind with sentences written for this test.
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ar", "صاحب الشقة عطاني يومين اطلع", True),  # the dual is a length: "two days"
    ("ar", "وعندي ٣٠ يوم اقدم الاستئناف", True),  # "and" glued onto "I have"
    ("ar", "وصلت لندن قبل شهرين", False),  # "two months ago"
    ("ar", "عندي مقابلة يوم التلات الصبح", True),  # a dialect weekday
    ("ar", "الاتنين رفضوا يساعدوني", False),  # "both", not Monday
    ("ar", "لازم اطلع قبل آخر الشهر وعم يتصل فيي كل يوم", True),  # "وعم" starts a new clause
    ("ar", "الليلة رح يقطعوا المي عنا اذا ما دفعنا", True),  # "if we don't pay" is "or else"
    ("ar", "الليلة ما نمت من الخوف", False),
])
def test_arabic_duals_glued_and_dialect_days(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("so", "waraaqaha soo keen Isniinta ka hor", True),  # "keen" (bring) is no past "-een"
    ("so", "Jimcihii ayaa la i soo wacay", False),  # "-hii": the Friday gone by
    ("so", "saadambe ayaa maxkamadda la i rabaa", True),  # the day after tomorrow
    ("so", "caawa ayay korontada iga jarayaan haddaanan bixin", True),  # a duty six words on
    ("so", "waa inaan ka baxaa ka hor kirismaska", True),
])
def test_somali_bring_days_gone_and_the_day_after_tomorrow(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected


@pytest.mark.parametrize(("language", "text"), [
    ("bn", "7 diner bhitore form ta pathate hobe"),  # "bhitore": within
    ("bn", "আজ বিল না দিলে লাইন কেটে দেবে"),  # "if you don't pay" is "or else"
    ("cy", "pythefnos sgen i i dalu'r ddirwy"),  # "sgen i": I've got
    ("pl", "do jutra muszę oddać klucze"),
    ("uk", "у мене є 10 днів щоб подати апеляцію"),
])
def test_more_ways_of_saying_how_long_is_left(language: str, text: str) -> None:
    assert _deadline(language, text)


@pytest.mark.parametrize(("language", "text"), [
    ("pl", "szef wisi mi jeszcze za ostatnie 2 tygodnie pracy"),  # "the last 2 weeks": how long
    ("uk", "зарплату не отримала за останні 3 тижні"),
    ("pl", "mam wypowiedzenie i szukam pracy od 3 tygodni"),  # a stem unit ("tygod*") beside "od"
    ("ur", "دن میں دو بار فون کرتے ہیں"),  # "twice a day": how often
    ("ur", "din mein teen dafa dawai leni hoti hai"),
    ("ur", "تین ہفتے کی تنخواہ باقی ہے"),  # "three weeks' wages": an amount
])
def test_lengths_that_say_how_long_how_often_or_how_much(language: str, text: str) -> None:
    assert not _deadline(language, text)


# Sixth round, from the kinds of split D's brief (its messages unread): a feast or payday as a limit, and a
# limit told as something of the past ("last time they gave me 2 weeks").
@pytest.mark.parametrize(("language", "text"), [
    ("en", "need to sort it by payday"),
    ("en", "i have to pay the rest before eid"),
    ("ar", "لازم ارجع المصاري قبل العيد"),
    ("ur", "landlord keh raha hai eid se pehle ghar khali karo"),
    ("bn", "bariwala bolse eid er age bhara dite hobe"),
    ("so", "lacagta waa inaan bixiyaa ciidda ka hor"),
    ("pl", "muszę oddać pieniądze do wypłaty"),
    ("ro", "trebuie sa platesc pana la salariu"),
    ("uk", "треба віддати борг до зарплати"),
    ("cy", "rhaid talu cyn y Pasg"),
    ("pt", "tenho que pagar ate a pascoa"),
])
def test_a_feast_or_payday_is_a_limit(language: str, text: str) -> None:
    assert _deadline(language, text)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "last time the council gave me 28 days to pay and i paid"),  # a cue, but told of then
    ("en", "they gave me 2 weeks last year but then let me stay"),
    ("en", "i got 2 months notice in 2023 but it was withdrawn"),  # a year gone by beside the length
    ("pl", "ostatnim razem dali mi 14 dni na zapłatę"),
    ("uk", "минулого разу мені дали 14 днів на оплату"),
    ("ar", "المرة الماضية عطاني شهرين"),
    ("so", "markii hore waxay i siiyeen 14 maalmood"),
])
def test_a_limit_told_of_the_past_is_none(language: str, text: str) -> None:
    assert not _deadline(language, text)


def test_a_year_gone_by_far_from_a_limit_leaves_it() -> None:
    assert _deadline("en", "bailiffs are coming on friday for council tax i owe from 2023")


# Seventh round, from dev split E's errors (sentences written for this test).
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "the ceiling fell in, flat 3/2 above the chippy", False),  # a flat number, not 3 February
    ("en", "we must leave the flat by 12/01", True),  # "flat" further off: the date stands
    ("en", "the tribunal is the day after tomorrow", True),  # "after" inside the phrase breaks no clause
    ("en", "got the letter today, 2 months to get out", True),
    ("ro", "am 28 de zile sa raspund la tribunal", True),  # from 20 on, "N de zile"
    ("ro", "primesc banii vinerea de obicei", False),  # the weekday of habit
    ("ro", "avem programare la consulat joia viitoare", True),
    ("pt", "hj a noite se eu nao pagar cortam a luz", True),  # "if I don't leave" is "or else"
    ("pt", "pago o aluguel todo dia 5", False),
    ("pl", "termin na odwołanie minął w listopadzie", False),  # the deadline passed
    ("pl", "dostaję wypłatę co drugi piątek", False),
    ("cy", "llythyr dyddiedig 20 Tachwedd am ordaliad", False),  # "dated"
])
def test_addresses_habits_and_more_ways_of_saying_by_when(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected


# Eighth round, from dev split E's ar/bn/uk/ur/so errors (sentences written for this test).
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ar", "لازم نطلع من البيت فبداية ابريل", True),  # "at the start of April", "in" glued on
    ("ar", "اجو الشرطة يوم الخميس الفات", False),  # Sudanese "gone by"
    ("bn", "14 din er modde form joma dite hobe", True),  # Sylheti "modde"
    ("bn", "agent agei bolechilo 7 diner moddhe taka dite, ami diye disi", False),  # "had said": told of then
    ("bn", "shob shukrobar amar shift thake", False),  # every Friday
    ("uk", "дали 14 днів щоб заплатити борг", True),
    ("uk", "хозяин сказал у нас 2 недели чтобы съехать", True),  # Russian mixed in
    ("uk", "термін подачі минув у жовтні", False),
    ("ur", "اپریل کے شروع میں visa ختم ہو رہا ہے", True),
    ("ur", "آٹھ ہفتے ہو گئے کوئی جواب نہیں آیا", False),  # "eight weeks have gone by"
    ("so", "alaabtaydii gudaha ayay ku jirtaa weli", False),  # "inside" alone is no limit
    ("so", "sanadka cusub ka hor waa inaan bixiyaa", True),
    ("so", "2023 ayaa la ii sheegay inaan haysto 14 maalmood", False),  # a year gone by, told before
])
def test_starts_and_middles_of_months_had_said_and_russian_mixed_in(language: str, text: str, expected: bool) -> None:
    assert _deadline(language, text) is expected
