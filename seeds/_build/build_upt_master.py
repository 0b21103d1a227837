"""Build seeds/upt_master.csv, the national default UPT master (deterministic).

Run from the repository root:  .venv/bin/python seeds/_build/build_upt_master.py

Kanwil and province names are real. Unit names use real city / regency names of each
province, but the exact list of units, their classes and capacities are *plausible*, not
an official register (see seeds/README.md). A fixed random seed keeps the output stable:
re-running the script rewrites the same bytes.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20250101
TARGET_CAPACITY = 147_000
OUT = Path(__file__).resolve().parents[1] / "upt_master.csv"
COLUMNS = ["kode_upt", "nama_upt", "jenis_upt", "kelas", "kode_kanwil", "nama_kanwil",
           "provinsi", "kapasitas"]

PREFIX = {"LAPAS": "Lapas", "RUTAN": "Rutan", "LPKA": "LPKA", "LPP": "LPP"}
JENIS_ORDER = {"LAPAS": 0, "RUTAN": 1, "LPP": 2, "LPKA": 3}
KELAS_ORDER = {"I": 0, "IIA": 1, "IIB": 2, "III": 3}

# Capacity ranges (before national scaling) by (jenis, kelas).
CAP_RANGE = {
    ("LAPAS", "I"): (900, 1800), ("LAPAS", "IIA"): (450, 1000),
    ("LAPAS", "IIB"): (180, 450), ("LAPAS", "III"): (80, 220),
    ("RUTAN", "I"): (600, 1400), ("RUTAN", "IIA"): (300, 700),
    ("RUTAN", "IIB"): (100, 330), ("RUTAN", "III"): (50, 150),
    ("LPP", "I"): (400, 700), ("LPP", "IIA"): (250, 550),
    ("LPP", "IIB"): (150, 300), ("LPP", "III"): (80, 160),
    ("LPKA", "I"): (200, 400), ("LPKA", "IIA"): (100, 250),
    ("LPKA", "IIB"): (60, 140), ("LPKA", "III"): (40, 100),
}

# Province specs, in Kanwil order (KW01..KW33).
#   target: number of units; big: how many leading cities host both a Lapas and a Rutan;
#   large: capital units are class I; factor: capacity multiplier;
#   class1: further cities whose Lapas is class I; lpka: (city, kelas); lpp: [(city, kelas)];
#   extra: [(name prefix, jenis, kelas, place)] special units (Narkotika, Nusakambangan, ...);
#   cities: real cities / regency seats, capital first, roughly by size.
P = []


def prov(provinsi, target, big, cities, lpka, lpp=(), extra=(), large=False, factor=1.0,
         class1=()):
    P.append(dict(provinsi=provinsi, target=target, big=big, cities=cities, lpka=lpka,
                  lpp=list(lpp), extra=list(extra), large=large, factor=factor,
                  class1=set(class1)))


def split(s: str) -> list[str]:
    return [c.strip() for c in s.split(",") if c.strip()]


prov("Aceh", 21, 2, split(
    "Banda Aceh, Lhokseumawe, Langsa, Meulaboh, Takengon, Bireuen, Lhoksukon, Kutacane, "
    "Blangkejeren, Tapaktuan, Singkil, Calang, Sinabang, Idi, Kuala Simpang, Blangpidie, "
    "Jantho, Sabang, Subulussalam, Meureudu, Suka Makmue, Simpang Tiga Redelong"),
    ("Banda Aceh", "IIA"), [("Sigli", "III")], [("Lapas Narkotika", "LAPAS", "IIA", "Langsa")])
prov("Sumatera Utara", 36, 4, split(
    "Medan, Pematangsiantar, Binjai, Tebing Tinggi, Tanjung Balai, Sibolga, Padang Sidempuan, "
    "Kabanjahe, Lubuk Pakam, Rantau Prapat, Kisaran, Labuhan Deli, Tanjung Pura, Sidikalang, "
    "Tarutung, Balige, Pangururan, Gunung Sitoli, Teluk Dalam, Panyabungan, Gunung Tua, "
    "Sibuhuan, Sei Rampah, Lima Puluh, Aek Kanopan, Kota Pinang, Salak, Dolok Sanggul, "
    "Pancur Batu, Stabat, Perbaungan, Hinai, Siborongborong, Labuhan Ruku, Porsea"),
    ("Medan", "I"), [("Medan", "IIA"), ("Pematangsiantar", "IIB")],
    [("Lapas Narkotika", "LAPAS", "IIA", "Pematangsiantar")],
    large=True, factor=1.15, class1=["Pematangsiantar"])
prov("Sumatera Barat", 18, 2, split(
    "Padang, Bukittinggi, Payakumbuh, Solok, Sawahlunto, Pariaman, Padang Panjang, "
    "Batusangkar, Lubuk Sikaping, Painan, Muaro Sijunjung, Pulau Punjung, Lubuk Basung, "
    "Simpang Empat, Tuapejat, Talu, Arosuka, Muara Labuh, Parik Malintang"),
    ("Tanjung Pati", "IIA"), [("Padang", "IIB")])
prov("Riau", 17, 2, split(
    "Pekanbaru, Dumai, Bengkalis, Bangkinang, Rengat, Tembilahan, Pasir Pengaraian, "
    "Siak Sri Indrapura, Pangkalan Kerinci, Teluk Kuantan, Bagansiapiapi, Selatpanjang, "
    "Ujung Batu, Bagan Batu, Duri, Kubu"),
    ("Pekanbaru", "IIA"), [("Pekanbaru", "IIA")], [("Lapas Narkotika", "LAPAS", "IIA", "Rumbai")],
    factor=1.05)
prov("Kepulauan Riau", 12, 2, split(
    "Batam, Tanjung Pinang, Tanjung Balai Karimun, Dabo Singkep, Ranai, Tarempa, "
    "Tanjung Uban, Daik Lingga, Bintan"),
    ("Batam", "IIB"), [("Batam", "IIB")], [("Lapas Narkotika", "LAPAS", "IIA", "Tanjung Pinang")])
prov("Jambi", 12, 1, split(
    "Jambi, Kuala Tungkal, Muara Bungo, Muara Tebo, Bangko, Sarolangun, Sungai Penuh, "
    "Muara Sabak, Sengeti, Muara Tembesi, Sungai Bahar, Muara Bulian"),
    ("Muara Bulian", "IIB"), [("Jambi", "III")])
prov("Sumatera Selatan", 20, 2, split(
    "Palembang, Lubuklinggau, Prabumulih, Pagar Alam, Lahat, Muara Enim, Baturaja, "
    "Kayu Agung, Sekayu, Tanjung Raja, Muaradua, Muara Beliti, Indralaya, Pangkalan Balai, "
    "Muara Rupit, Talang Ubi, Sungai Lilin, Pendopo, Tanjung Enim"),
    ("Palembang", "I"), [("Palembang", "IIA")], [("Lapas Narkotika", "LAPAS", "IIA", "Muara Beliti")],
    large=True, factor=1.05)
prov("Kepulauan Bangka Belitung", 9, 1, split(
    "Pangkalpinang, Sungailiat, Tanjung Pandan, Muntok, Koba, Toboali, Manggar, Belinyu"),
    ("Pangkalpinang", "IIB"), [("Pangkalpinang", "III")])
prov("Bengkulu", 9, 1, split(
    "Bengkulu, Curup, Manna, Argamakmur, Mukomuko, Kepahiang, Tais, Bintuhan, Muara Aman"),
    ("Bengkulu", "IIB"), [("Bengkulu", "III")])
prov("Lampung", 15, 2, split(
    "Bandar Lampung, Metro, Kalianda, Kotabumi, Gunung Sugih, Menggala, Liwa, Kota Agung, "
    "Blambangan Umpu, Pringsewu, Gedong Tataan, Krui, Panaragan, Mesuji"),
    ("Bandar Lampung", "IIA"), [("Bandar Lampung", "IIA")],
    [("Lapas Narkotika", "LAPAS", "IIA", "Way Hui")], large=True, factor=1.05)
prov("DKI Jakarta", 11, 0, [], ("Jakarta", "IIA"), [("Jakarta", "IIA")], [
    ("Lapas", "LAPAS", "I", "Cipinang"), ("Lapas Narkotika", "LAPAS", "IIA", "Jakarta"),
    ("Lapas", "LAPAS", "IIA", "Salemba"), ("Lapas", "LAPAS", "III", "Jakarta Utara"),
    ("Rutan", "RUTAN", "I", "Cipinang"), ("Rutan", "RUTAN", "I", "Jakarta Pusat"),
    ("Rutan", "RUTAN", "IIA", "Jakarta Timur"), ("Rutan", "RUTAN", "IIA", "Jakarta Selatan"),
    ("Rutan", "RUTAN", "IIB", "Jakarta Barat"),
], large=True, factor=1.2)
prov("Jawa Barat", 40, 5, split(
    "Bandung, Bogor, Bekasi, Cirebon, Sukabumi, Tasikmalaya, Depok, Cianjur, Garut, Karawang, "
    "Purwakarta, Subang, Indramayu, Kuningan, Majalengka, Sumedang, Ciamis, Banjar, Cibinong, "
    "Cikarang, Soreang, Pangandaran, Cimahi, Singaparna, Pelabuhan Ratu, Cibadak, Ngamprah, Sumber"),
    ("Bandung", "IIA"), [("Bandung", "IIA"), ("Bogor", "IIB")], [
        ("Lapas", "LAPAS", "I", "Sukamiskin"), ("Lapas Narkotika", "LAPAS", "IIA", "Bandung"),
        ("Lapas", "LAPAS", "IIA", "Gunung Sindur"), ("Lapas", "LAPAS", "IIA", "Banceuy"),
    ], large=True, factor=1.15, class1=["Cirebon"])
prov("Banten", 12, 3, split(
    "Tangerang, Serang, Cilegon, Pandeglang, Rangkasbitung, Tigaraksa, Jambe"),
    ("Tangerang", "I"), [("Tangerang", "IIA")], [("Lapas Pemuda", "LAPAS", "IIA", "Tangerang")],
    large=True, factor=1.15)
prov("Jawa Tengah", 42, 4, split(
    "Semarang, Surakarta, Pekalongan, Tegal, Magelang, Salatiga, Purwokerto, Cilacap, Kudus, "
    "Pati, Jepara, Klaten, Sragen, Boyolali, Wonogiri, Karanganyar, Sukoharjo, Demak, Kendal, "
    "Batang, Pemalang, Brebes, Slawi, Banjarnegara, Purbalingga, Kebumen, Purworejo, Wonosobo, "
    "Temanggung, Ambarawa, Blora, Rembang, Purwodadi, Cepu"),
    ("Kutoarjo", "I"), [("Semarang", "IIA"), ("Purwokerto", "IIB")], [
        ("Lapas", "LAPAS", "I", "Batu Nusakambangan"),
        ("Lapas", "LAPAS", "IIA", "Besi Nusakambangan"),
        ("Lapas", "LAPAS", "IIA", "Pasir Putih Nusakambangan"),
        ("Lapas", "LAPAS", "IIA", "Kembang Kuning Nusakambangan"),
        ("Lapas", "LAPAS", "IIA", "Permisan Nusakambangan"),
        ("Lapas Narkotika", "LAPAS", "IIA", "Nusakambangan"),
        ("Lapas", "LAPAS", "III", "Gladakan Nusakambangan"),
        ("Lapas", "LAPAS", "III", "Ngaseman Nusakambangan"),
    ], large=True, factor=1.1)
prov("DI Yogyakarta", 6, 1, split("Yogyakarta, Sleman, Wates, Wonosari, Bantul"),
     ("Yogyakarta", "IIA"), [("Yogyakarta", "IIB")],
     [("Lapas Narkotika", "LAPAS", "IIA", "Pakem")])
prov("Jawa Timur", 44, 5, split(
    "Surabaya, Malang, Madiun, Kediri, Jember, Banyuwangi, Pamekasan, Sidoarjo, Mojokerto, "
    "Pasuruan, Probolinggo, Blitar, Tulungagung, Lamongan, Gresik, Tuban, Bojonegoro, Ngawi, "
    "Magetan, Ponorogo, Pacitan, Trenggalek, Nganjuk, Jombang, Lumajang, Bondowoso, Situbondo, "
    "Bangkalan, Sampang, Sumenep, Kraksaan, Bangil, Kepanjen, Batu, Kangean"),
    ("Blitar", "I"), [("Malang", "IIA"), ("Surabaya", "IIA")],
    [("Lapas Narkotika", "LAPAS", "IIA", "Pamekasan")],
    large=True, factor=1.15, class1=["Malang", "Madiun"])
prov("Bali", 8, 1, split("Denpasar, Singaraja, Tabanan, Negara, Gianyar, Klungkung, Bangli"),
     ("Karangasem", "IIB"), [("Denpasar", "III")], factor=1.05)
prov("Nusa Tenggara Barat", 10, 1, split(
    "Mataram, Selong, Praya, Sumbawa Besar, Bima, Dompu, Gerung, Taliwang"),
    ("Lombok Tengah", "IIA"), [("Mataram", "III")])
prov("Nusa Tenggara Timur", 16, 1, split(
    "Kupang, Atambua, Kefamenanu, Soe, Ende, Maumere, Larantuka, Kalabahi, Waingapu, "
    "Waikabubak, Ruteng, Bajawa, Labuan Bajo, Borong, Lewoleba, Betun"),
    ("Kupang", "IIB"), [("Kupang", "III")], factor=0.9)
prov("Kalimantan Barat", 14, 1, split(
    "Pontianak, Singkawang, Sambas, Mempawah, Ketapang, Sintang, Putussibau, Sanggau, Ngabang, "
    "Bengkayang, Nanga Pinoh, Sekadau, Sukadana"),
    ("Sungai Raya", "IIA"), [("Pontianak", "IIA")])
prov("Kalimantan Tengah", 13, 1, split(
    "Palangka Raya, Sampit, Pangkalan Bun, Kuala Kapuas, Muara Teweh, Buntok, Kuala Kurun, "
    "Kasongan, Tamiang Layang, Puruk Cahu, Nanga Bulik, Sukamara, Kuala Pembuang, Pulang Pisau"),
    ("Palangka Raya", "IIB"), [("Palangka Raya", "III")])
prov("Kalimantan Selatan", 14, 1, split(
    "Banjarmasin, Banjarbaru, Kotabaru, Pelaihari, Rantau, Kandangan, Barabai, Amuntai, "
    "Tanjung, Marabahan, Batulicin, Paringin, Martapura"),
    ("Martapura", "IIA"), [("Martapura", "IIA")], [("Lapas Narkotika", "LAPAS", "IIA", "Karang Intan")],
    factor=1.05)
prov("Kalimantan Timur", 17, 2, split(
    "Samarinda, Balikpapan, Tenggarong, Bontang, Tanah Grogot, Tanjung Redeb, Sangatta, "
    "Penajam, Sendawar, Tarakan, Nunukan, Tanjung Selor, Malinau, Tideng Pale, Ujoh Bilang"),
    ("Samarinda", "IIA"), [("Samarinda", "IIA")], [("Lapas Narkotika", "LAPAS", "IIA", "Samarinda")],
    factor=1.05)
prov("Sulawesi Utara", 11, 1, split(
    "Manado, Bitung, Kotamobagu, Tondano, Airmadidi, Amurang, Tahuna, Melonguane, Boroko, "
    "Ratahan, Ondong Siau"),
    ("Tomohon", "IIB"), [("Manado", "III")])
prov("Gorontalo", 6, 1, split("Gorontalo, Limboto, Marisa, Kwandang, Tilamuta, Suwawa"),
     ("Gorontalo", "IIB"), [("Gorontalo", "III")], factor=0.9)
prov("Sulawesi Tengah", 13, 1, split(
    "Palu, Poso, Luwuk, Tolitoli, Donggala, Parigi, Ampana, Buol, Kolonedale, Bungku, Banggai, "
    "Bora"),
    ("Palu", "IIB"), [("Palu", "III")], factor=0.95)
prov("Sulawesi Selatan", 26, 2, split(
    "Makassar, Parepare, Palopo, Watampone, Sungguminasa, Takalar, Jeneponto, Bantaeng, "
    "Bulukumba, Sinjai, Benteng, Pangkajene, Barru, Sidrap, Pinrang, Enrekang, Makale, "
    "Rantepao, Masamba, Malili, Sengkang, Watansoppeng, Belopa, Maros"),
    ("Maros", "IIA"), [("Sungguminasa", "IIA")], [("Lapas Narkotika", "LAPAS", "IIA", "Bolangi")],
    large=True, factor=1.1)
prov("Sulawesi Barat", 6, 1, split("Mamuju, Polewali, Majene, Mamasa, Pasangkayu, Tobadak"),
     ("Mamuju", "IIB"), [], factor=0.9)
prov("Sulawesi Tenggara", 12, 1, split(
    "Kendari, Baubau, Kolaka, Raha, Unaaha, Andoolo, Lasusua, Wangi-Wangi, Pasarwajo, Rumbia, "
    "Buranga"),
    ("Kendari", "IIB"), [("Kendari", "III")], factor=0.95)
prov("Maluku", 12, 1, split(
    "Ambon, Tual, Masohi, Saumlaki, Namlea, Piru, Dobo, Bula, Langgur, Wahai, Tiakur, Namrole"),
    ("Ambon", "IIB"), [("Ambon", "III")], factor=0.9)
prov("Maluku Utara", 8, 1, split(
    "Ternate, Tidore, Tobelo, Labuha, Sanana, Jailolo, Weda, Maba"),
    ("Ternate", "IIB"), [("Ternate", "III")], factor=0.85)
prov("Papua", 12, 1, split(
    "Jayapura, Merauke, Nabire, Biak, Wamena, Timika, Serui, Sarmi, Abepura, Doyo, "
    "Tanah Merah, Enarotali, Agats"),
    ("Jayapura", "IIB"), [("Jayapura", "III")], factor=0.9)
prov("Papua Barat", 8, 1, split(
    "Manokwari, Sorong, Fakfak, Kaimana, Teminabuan, Bintuni, Aimas, Waisai, Rasiei"),
    ("Manokwari", "IIB"), [], factor=0.85)


def general_kelas(i: int, n: int, rng: random.Random) -> str:
    """Class of a Lapas/Rutan by the city's rank i (0 = capital) among n cities."""
    frac = (i + rng.uniform(-1.5, 1.5)) / max(n, 1)
    if frac < 0.25:
        return "IIA"
    if frac < 0.82:
        return "IIB"
    return "III"


def build() -> list[dict]:
    rng = random.Random(SEED)
    rows: list[dict] = []
    assert len(P) == 33, len(P)
    for k, p in enumerate(P, start=1):
        kode_kanwil = f"KW{k:02d}"
        units: list[tuple[str, str, str, str]] = []  # (prefix, jenis, kelas, place)
        units.append(("LPKA", "LPKA", p["lpka"][1], p["lpka"][0]))
        units += [("LPP", "LPP", kelas, city) for city, kelas in p["lpp"]]
        units += p["extra"]
        need = p["target"] - len(units) - p["big"]
        cities = p["cities"][:need]
        assert len(cities) == need, (p["provinsi"], need, len(p["cities"]))
        for i, city in enumerate(cities):
            if i == 0:
                top = "I" if p["large"] else "IIA"
                units.append(("Lapas", "LAPAS", top, city))
                units.append(("Rutan", "RUTAN", top, city))
                continue
            kelas = general_kelas(i, len(cities), rng)
            if i < p["big"]:
                lapas_kelas = "I" if city in p["class1"] else ("IIA" if kelas != "III" else "IIB")
                units.append(("Lapas", "LAPAS", lapas_kelas, city))
                units.append(("Rutan", "RUTAN", "IIA" if kelas == "IIA" else "IIB", city))
                continue
            if city in p["class1"]:
                units.append(("Lapas", "LAPAS", "I", city))
                continue
            jenis = "LAPAS" if rng.random() < 0.55 else "RUTAN"
            units.append((PREFIX[jenis], jenis, kelas, city))
        assert len(units) == p["target"], (p["provinsi"], len(units))
        units.sort(key=lambda u: (JENIS_ORDER[u[1]], KELAS_ORDER[u[2]], u[3], u[0]))
        for prefix, jenis, kelas, place in units:
            lo, hi = CAP_RANGE[(jenis, kelas)]
            raw = rng.uniform(lo, hi) * p["factor"]
            rows.append(dict(nama_upt=f"{prefix} Kelas {kelas} {place}", jenis_upt=jenis,
                             kelas=kelas, kode_kanwil=kode_kanwil,
                             nama_kanwil=f"Kanwil Ditjenpas {p['provinsi']}",
                             provinsi=p["provinsi"], _raw=raw))
    scale = TARGET_CAPACITY / sum(r["_raw"] for r in rows)
    for n, r in enumerate(rows, start=1):
        r["kode_upt"] = f"UPT{n:04d}"
        r["kapasitas"] = max(20, int(round(r.pop("_raw") * scale / 5.0)) * 5)
    names = [r["nama_upt"] for r in rows]
    dupes = sorted({x for x in names if names.count(x) > 1})
    assert not dupes, dupes
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} units, capacity {sum(r['kapasitas'] for r in rows)})")


if __name__ == "__main__":
    main()
