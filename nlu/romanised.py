"""Urdu, Bengali, Ukrainian and Arabic in Latin letters ("mera UC band ho gaya hai", "ami bolse", "a3touni").

Many clients type their own language in Latin letters. lingua has no model for
that and reads it as noise or as some other Latin-script language, so we look
for each language's very common words first. The lists hold function words and
everyday verbs seen in our training data (never the held-out split; the second Bengali block, Banglish
and Sylheti verb forms, pronouns and connectives, was written from general knowledge before split C was
scored), minus
words that are also common in English or in the other Latin-script languages we
serve ("me", "do", "na", "ka" in Somali, "e" in Portuguese ...).
"""

from __future__ import annotations

import re

__all__ = ["romanised_language"]

_URDU = frozenset("""
hai hain nahi nahin nhi ne ke ko aur raha rahi rahe diya diye dia bhi ghar kar karo karna karne karun ho hota hoti
tha thi thay saal mahine tak kya aya mujhe mujhko koi mera meri mere kehta kehte kehti keh gaya gayi gaye liye hun
hoon likha kuch hafte kaat roz bohat bahut bohot kaise kese bheja bachon bachay nikal deta deti dete lekin magar kaam
paise paisa woh sirf bahar hui hua samajh ghante mila mili laga lagta pani wapis sath sakta sakti jawab beti beta
hum humein hamara hamari raat kiya kaha wajah ammi abbu kiraya chal jayega jaega warna walon wale wala wali unhe
unka unki unko apna apni apne aap ap abhi phir pehle baad chahiye zaroor jaldi yeh ye kyun kyon shadi biwi shohar
maang mang rahay bulana bulata dena lena jana qistain milne jayenge kahan kharab uske bina jata chhat khud tareekh
tankhwa kabhi milega kisi khatam madad alag sakte leta karwa dekh denge padosi marta aaj ata reh
""".split())  # noqa: SIM905 - word lists read best as text
_BENGALI = frozenset("""
ami amar amake amra amader tumi apni apnar dey dise bolse bole kore korte korbo korse koro theke jonno gese gesi
dite niye moddhe ekhon kintu hobe ashche onek mash hoye ase ache achhe pari parchi parbo taka kisti kono kete
protidin pore keu dicche bondho eta thik dibe shami mile jabe ashe shob bari ferot sathe kaj tader uttor dhore
bachchader kate pathaise bhara karon silam silo chilo kivabe kothay bujhtesi nise kom tai bhul protimash hoise
diye chay naile tule ekbare chaitesi biyete anar kotha thaki bhitor ghor khali diner dorkar lagbe hocche hoy
bolche ekta kichu keno shudhu nai bochor chere noshto beton pabo nite chithi shesh kemne ekhane shahajjo dekha chole
alada hote khoroch meyer jete kache ekhono barir boshaise dhukte rajee korar bachcha notun pasher jacche aj korle
korchi korche korlam hoyeche hoyese nei jacchi ashbe debe nibe tomar tomake oder amr amk
korsi korsilam korchilam disilam disse diyeche dilo hoilo holo gelo jabo jaite ashlo pailam paisi petam chaisilam
chacchi bollo bolsilo boleche lage lagse asen achen thake thakbo shathe akhon tokhon abar arekta sudhu ekdom tahole
jodi kokhon amare apnara unar onar shei duita tinta gulo swami chele baccha ghore poisha shoptaho kaje chakri khub
bhalo kharap parina bujhi bujhina janina dekhlam korbe koren korben diben nilo korsilo koreche oibo kita oise asil
khoise bujhtesina lagche hoyechilo ashchilo gechilo pathabo ashen bolen dekhen
er aise paina bolte porbo bachte diyo matro khuje upore pichu
chare kokhono
""".split())  # noqa: SIM905 - word lists read best as text
_UKRAINIAN = frozenset("""
tomu dosi nichoho mene meni tse shcho shco yak dlia vid mii moia moie moho tut teper vzhe vony vin vona ye nemaie
nema tyzhniv tyzhden misiats misiatsi hroshi robota roboti kvartyra dity ditei pratsiuiu prosto treba chomu kazhut
""".split())  # noqa: SIM905 - word lists read best as text
# Banglish verb endings ("korsilam", "bujhtesi", "pathaben", "bhabchi", "bujhaite"): a word of 5+ letters ending so.
_BENGALI_ENDING = re.compile(r"^[a-z]{2,}(?:silo|silam|chilo|chilam|chhilo|tesi|tesilam|aise|aite|iyo|ben|chi)$")
_ARABIZI_WORDS = frozenset((
    "el", "w", "ana", "enta", "enti", "howe", "hiye", "ma", "mish", "msh", "bade", "badi", "bado", "shi", "lesh", "leh",
    "mn", "men", "3al", "3an", "fi",
))
_ARABIZI_DIGIT = re.compile(r"^(?=.*[a-z])[a-z]*[2357][a-z]*$")
_TOKEN = re.compile(r"[a-z0-9']+")


def romanised_language(text: str, *, min_hits: int = 2, min_share: float = 0.15) -> tuple[str, float] | None:
    """("ur" | "bn" | "uk" | "ar", share of telling words) for Latin-letter text in those languages, else None."""
    tokens = [t.strip("'") for t in _TOKEN.findall(text.lower())]
    words = [t for t in tokens if t and not t.isdigit()]
    if not words or sum(1 for ch in text if ch.isalpha() and not ch.isascii()) > 0.2 * len(text):
        return None
    scores = {
        "ur": sum(1 for w in words if w in _URDU),
        "bn": sum(1 for w in words if w in _BENGALI or (len(w) >= 5 and _BENGALI_ENDING.match(w))),
        "uk": sum(1 for w in words if w in _UKRAINIAN),
        "ar": sum(1 for w in words if _ARABIZI_DIGIT.match(w)) + sum(1 for w in words if w in _ARABIZI_WORDS) // 2,
    }
    best = max(scores, key=scores.__getitem__)
    hits = scores[best]
    ordered = sorted(scores.values(), reverse=True)
    if hits < min_hits or hits / len(words) < min_share or ordered[1] * 2 > hits:
        return None
    return best, round(hits / len(words), 3)
