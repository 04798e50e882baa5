"""A deterministic keyword/phrase classifier: the fallback behind the Rasa client.

It implements the same :class:`nlu.result.Classifier` interface as the Rasa client,
so the engine never knows which one answered. It runs when Rasa is down, slow or
unsure, and its crisis phrases run on every message whatever else answered:
a risk to life must never depend on a model being up.

Phrases are stems matched at the start of a word, after :func:`bot.keywords.normalise`
(lower case, accents off Latin letters). Scripts written without accents or with
joined words (Arabic, Bengali, Urdu) are matched as substrings.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from bot.keywords import normalise
from nlu.dates import find_dates
from nlu.result import NluResult

__all__ = ["CATEGORY_PHRASES", "CRISIS_PHRASES", "KeywordClassifier", "find_categories", "is_crisis"]

# category id -> phrases (any language). A phrase ending in "*" matches any word it starts;
# otherwise the whole phrase must end at a word boundary.
CATEGORY_PHRASES: dict[str, tuple[str, ...]] = {
    "housing": (
        "landlord*", "landlady", "evict*", "eviction*", "section 21", "section 8", "notice to quit", "rent*",
        "tenan*", "my flat", "my house", "my home", "the flat", "homeless*", "mould*", "mold", "damp",
        "repairs", "housing*", "council house", "council flat", "get out", "wants me out", "kick me out",
        "kicked out", "have to leave", "has to leave", "must leave", "move out", "repossess*", "mortgage*",
        "sleeping rough", "nowhere to live", "nowhere to sleep", "leak*", "no heating", "deposit",
        # Welsh, Polish, Romanian, Portuguese, Somali
        "landlord", "digartref", "rhent*", "tenant", "wlasciciel*", "eksmis*", "czynsz*", "mieszkani*",
        "wynajm*", "bezdomn*", "proprietar*", "evacuare", "evacua*", "chiri*", "locuint*", "senhorio*",
        "despejo*", "aluguel*", "renda", "casa", "guri", "kirada", "mulkiilaha", "guriga",
        # Ukrainian / Cyrillic
        "орендодав*", "виселенн*", "виселя*", "оренд*", "квартир*", "житл*",
        # Arabic, Urdu, Bengali (substrings)
        "~المالك", "~الإيجار", "~ايجار", "~إخلاء", "~طرد", "~السكن", "~شقة", "~مالک مکان", "~کرایہ", "~مکان",
        "~گھر", "~বাড়িওয়ালা", "~ভাড়া", "~উচ্ছেদ", "~বাসা",
    ),
    "debt": (
        "debt*", "owe", "owed", "owes", "owing", "arrears", "council tax", "bailiff*", "enforcement agent*",
        "credit card*", "loan*", "payday", "overdraft", "ccj", "county court judgment", "cant pay", "can't pay",
        "cannot pay", "behind on", "behind with", "in the red", "debt collector*", "catalogue", "klarna",
        "final demand", "energy bill*", "gas bill*", "electric bill*", "water bill*", "bill is wrong",
        "dyled*", "dlug*", "dług*", "komornik*", "pozyczk*", "kredyt*", "datori*", "datorie", "executor*",
        "imprumut*", "divida*", "dívida*", "emprestimo*", "deyn*", "борг*", "кредит*", "позик*",
        "~دين", "~ديون", "~قرض", "~قرضہ", "~ادھار", "~ঋণ", "~দেনা", "~ধার",
    ),
    "benefits": (
        "universal credit", "uc", "pip", "esa", "jsa", "dla", "attendance allowance", "carers allowance",
        "housing benefit", "child benefit", "pension credit", "benefit*", "sanction*", "dwp", "jobcentre*",
        "job centre", "work coach", "mandatory reconsideration", "fit note", "tax credit*", "legacy benefit*",
        "budaya", "budd*", "credyd cynhwysol", "zasilek*", "zasiłek*", "swiadczeni*", "ajutor social",
        "beneficii", "alocati*", "beneficio*", "subsidio*", "kaalmo", "gunnad*", "допомог*", "пільг*", "виплат*",
        "~إعانة", "~اعانة", "~الإعانات", "~بینیفٹ", "~বেনিফিট", "~ভাতা", "~يونيفرسال", "~یونیورسل",
    ),
    "employment": (
        "sacked", "fired", "dismiss*", "redundan*", "my job", "my boss", "employer*", "wages", "wage", "paid me",
        "paying me", "pay me", "holiday pay", "sick pay", "payslip*", "zero hours", "contract of employment",
        "at work", "workplace", "tribunal at work", "disciplinary", "grievance", "unpaid", "minimum wage",
        "manager", "shift*", "agency work*", "swydd", "cyflogwr", "praca", "pracy", "pracodaw*", "zwolni*",
        "wyplat*", "pensj*", "locul de munca", "angajator*", "concedi*", "salariu*", "patrao", "patrão",
        "emprego", "trabalho", "demitid*", "salario*", "shaqo*", "mushahar*", "робот*", "роботодав*",
        "звільн*", "зарплат*", "~العمل", "~وظيف", "~راتب", "~طرد من العمل", "~نوکری", "~تنخواہ", "~চাকরি",
        "~বেতন", "~মালিক",
    ),
    "immigration": (
        "visa*", "home office", "immigration*", "asylum*", "refugee*", "leave to remain", "ilr", "settled status",
        "pre settled", "pre-settled", "euss", "brp", "deport*", "removal", "right to remain", "right to work",
        "citizenship", "naturalis*", "passport*", "no recourse", "nrpf", "spouse visa", "biometric",
        "fisa", "lloches", "wiz*", "azyl*", "status osoby osiedlonej", "imigr*", "deport*", "azil*",
        "permis de sedere", "visto*", "residencia", "fiiso", "magangelyo", "sooyaal*", "віз*", "притулок",
        "біженц*", "статус", "~تأشيرة", "~فيزا", "~اللجوء", "~لجوء", "~الهجرة", "~ویزا", "~پناہ", "~امیگریشن",
        "~ভিসা", "~আশ্রয়", "~ইমিগ্রেশন", "~হোম অফিস",
    ),
    "family": (
        "divorce*", "separat*", "my ex", "custody", "child arrangement*", "contact with my child*",
        "see my kids", "see my children", "see my son", "see my daughter", "child maintenance", "cms",
        "residence order", "social services took", "care proceedings", "adoption", "family court",
        "split up", "broke up", "prenup", "ysgariad", "rozwod*", "rozwód", "alimenty", "opieka nad dzieck*",
        "divort*", "custodi*", "pensie alimentara", "divorcio*", "guarda", "furiin", "carruur*", "розлуч*",
        "аліменти", "опік*", "~طلاق", "~حضانة", "~نفقة", "~طلاق", "~بچوں کی تحویل", "~তালাক", "~বিবাহবিচ্ছেদ",
    ),
    "domestic_abuse": (
        "domestic abuse", "domestic violence", "abus*", "hit me", "hits me", "hitting me", "beat me", "beats me",
        "beating me", "hurt me", "hurts me", "controls", "controlling", "coercive", "checks my phone",
        "scared of him", "scared of her", "afraid of him", "afraid of her", "frightened of him",
        "frightened of her", "threatens me", "stalk*", "strangl*", "choked me", "forced marriage",
        "honour based", "fgm", "cam-drin", "trais", "przemoc*", "bije mnie", "uderzyl mnie", "violenta domestica",
        "violenta", "ma bate", "violencia domestica", "agressao", "bate em mim", "xadgudub*", "i garaacay",
        "насильств*", "б'є мене", "бʼє мене", "~عنف", "~يضربني", "~ضربني", "~تشدد", "~مارتا", "~নির্যাতন",
        "~মারধর", "~মারে",
    ),
    "consumer": (
        "refund*", "faulty", "broken", "shop*", "retailer", "bought", "purchase*", "scam*", "scammed",
        "fraud*", "contract", "subscription*", "guarantee", "warranty", "trader", "builder*", "car dealer",
        "second hand car", "online order", "delivery", "cancel my contract", "mis-sold", "missold",
        "reklamacj*", "zwrot pieniedzy", "oszust*", "wadliw*", "rambursare", "frauda", "teapa", "reembolso*",
        "defeituos*", "golpe", "khayaano", "повернення грошей", "шахрай*", "~استرداد", "~احتيال", "~دھوکہ",
        "~রিফান্ড", "~প্রতারণা",
    ),
    "discrimination": (
        "discriminat*", "racis*", "racial*", "because of my race", "because i am black", "because im black",
        "because of my religion", "because i am disabled", "because of my disability", "homophob*", "transphob*",
        "sexis*", "reasonable adjustment*", "equality act", "treated differently", "treated unfairly",
        "hate crime", "pregnancy discrimination", "maternity discrimination", "dyskrymin*", "rasizm*", "discrimin*", "rasism*", "discriminacao", "racismo",
        "takoor*", "дискримін*", "расизм*", "~تمييز", "~عنصري", "~امتیاز", "~নস্লবাদ", "~বৈষম্য",
    ),
    "education": (
        "school*", "excluded", "exclusion", "expelled", "suspended from school", "ehcp", "sen", "send",
        "special needs", "special educational", "senco", "teacher*", "college", "university", "tuition",
        "student finance", "school transport", "admission*", "ysgol", "szkol*", "szkoł*", "nauczyciel*",
        "scoal*", "exmatricul*", "escola", "iskuul", "dugsi*", "школ*", "вчител*", "~مدرسة", "~المدرسة",
        "~اسکول", "~স্কুল", "~বিদ্যালয়",
    ),
    "health_social_care": (
        "care package", "social services", "social worker", "carer", "care home", "nhs", "gp", "doctor",
        "hospital", "mental health", "sectioned", "assessment", "adult social care", "disabled facilities",
        "needs assessment", "continuing healthcare", "medication", "therapy", "prescription*", "ambulance bill",
        "opieka spoleczna", "lekarz*", "szpital*", "medic*", "spital*", "asistenta sociala", "medico*",
        "hospital*", "saude mental", "dhakhtar*", "isbitaal*", "лікар*", "лікарн*", "~مستشفى", "~طبيب",
        "~ہسپتال", "~ڈاکٹر", "~ডাক্তার", "~হাসপাতাল",
    ),
}

# Risk to life, violence happening now, self-harm, a child at risk. Matched on every message.
CRISIS_PHRASES: tuple[str, ...] = (
    "kill me", "kill myself", "killing myself", "kill him", "kill her", "kill us", "will kill", "gonna kill",
    "going to kill", "knife", "gun", "suicid*", "end my life", "end it all", "take my own life", "want to die",
    "wanna die", "self harm", "self-harm", "hurt myself", "harm myself", "cut myself", "overdose",
    "he hit me", "she hit me", "hit me again", "beating me", "strangl*", "choked me", "outside my door",
    "outside with", "breaking in", "break the door", "trying to get in", "not safe", "unsafe right now",
    "in danger", "hurting my child*", "hurting the kids", "hurt my child*", "hurt the kids", "child is in danger",
    "kids are in danger", "no food for my child*", "sleeping on the street tonight", "nowhere to sleep tonight",
    "zabije", "zabic sie", "zabić się", "noz", "nóż", "samobojstw*", "ma omoara", "sinucid*", "cutit",
    "suicidio", "me matar", "vai me matar", "faca", "dili doonaa", "is dilo", "mindi", "вб'є", "вбʼє", "вбити себе",
    "самогубств*", "ніж", "~سيقتلني", "~انتحار", "~سكين", "~اقتل نفسي", "~مار دے گا", "~خودکشی", "~چاقو",
    "~মেরে ফেলবে", "~আত্মহত্যা", "~ছুরি",
)

_DEADLINE_WORDS = (
    "court", "hearing", "tribunal", "deadline", "by tomorrow", "expires", "notice to quit", "eviction notice",
    "section 21", "bailiffs are coming", "eviction date", "must leave by", "have to leave by", "appeal by", "sad", "sąd", "rozpraw*",
    "termin*", "instanta", "termen", "tribunal", "prazo", "audiencia", "maxkamad*", "суд*", "термін*",
    "~محكمة", "~موعد", "~عدالت", "~তারিখ", "~আদালত",
)


@lru_cache(maxsize=64)
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a phrase list: word-start matches, substrings for "~" phrases."""
    parts: list[str] = []
    for phrase in phrases:
        if phrase.startswith("~"):
            parts.append(re.escape(normalise(phrase[1:])))
            continue
        stem = phrase.endswith("*")
        body = normalise(phrase.rstrip("*"))
        if not body:
            continue
        parts.append(rf"(?<!\w){re.escape(body)}" + ("" if stem else r"(?!\w)"))
    return re.compile("|".join(parts))


def find_categories(text: str) -> tuple[str, ...]:
    """Categories mentioned in ``text``, in the order the client first raised them."""
    norm = normalise(text)
    first_seen: dict[str, int] = {}
    for cid, phrases in CATEGORY_PHRASES.items():
        match = _compile(phrases).search(norm)
        if match is not None:
            first_seen[cid] = match.start()
    return tuple(sorted(first_seen, key=first_seen.__getitem__))


def is_crisis(text: str) -> bool:
    """True when ``text`` speaks of a risk to life, violence now, self-harm or a child at risk."""
    return bool(_compile(CRISIS_PHRASES).search(normalise(text)))


def mentions_deadline(text: str) -> bool:
    return bool(_compile(_DEADLINE_WORDS).search(normalise(text)))


class KeywordClassifier:
    """Phrase tables + date search; deterministic, fast, no server needed."""

    async def classify(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        return self.classify_sync(text, language=language, today=today)

    def classify_sync(self, text: str, *, language: str | None, today: dt.date) -> NluResult:
        text = text[:5000]
        categories = find_categories(text)
        crisis = is_crisis(text)
        if crisis and "domestic_abuse" not in categories and _compile(CATEGORY_PHRASES["domestic_abuse"]).search(
                normalise(text)) is None and re.search(r"(?<!\w)(he|she|my partner|my husband|my wife)(?!\w)",
                                                       normalise(text)):
            categories = ("domestic_abuse", *categories)  # someone at home threatening the client's life
        dates = find_dates(text, language, today)
        deadline = bool(dates) or mentions_deadline(text)
        return NluResult(categories=categories, crisis=crisis, deadline=deadline, dates=dates, language=None,
                         confidence=1.0 if categories else 0.0, source="keywords")
