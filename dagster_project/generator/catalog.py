"""Static vocabularies of the synthetic exports: names, provinces, products, partners.

Everything here is invented. Names are combinations of common Indonesian given names and never
refer to real people. All text is encodable in Windows-1252 (files may be written in cp1252).
"""

from __future__ import annotations

# BPS province codes (first two digits of a NIK), keyed by the UPT master's `provinsi`.
PROVINCE_CODES: dict[str, int] = {
    "Aceh": 11, "Sumatera Utara": 12, "Sumatera Barat": 13, "Riau": 14, "Jambi": 15,
    "Sumatera Selatan": 16, "Bengkulu": 17, "Lampung": 18, "Kepulauan Bangka Belitung": 19,
    "Kepulauan Riau": 21, "DKI Jakarta": 31, "Jawa Barat": 32, "Jawa Tengah": 33,
    "DI Yogyakarta": 34, "Jawa Timur": 35, "Banten": 36, "Bali": 51, "Nusa Tenggara Barat": 52,
    "Nusa Tenggara Timur": 53, "Kalimantan Barat": 61, "Kalimantan Tengah": 62,
    "Kalimantan Selatan": 63, "Kalimantan Timur": 64, "Kalimantan Utara": 65,
    "Sulawesi Utara": 71, "Sulawesi Tengah": 72, "Sulawesi Selatan": 73, "Sulawesi Tenggara": 74,
    "Gorontalo": 75, "Sulawesi Barat": 76, "Maluku": 81, "Maluku Utara": 82, "Papua Barat": 91,
    "Papua": 94,
}
ALL_PROVINCE_CODES: tuple[int, ...] = tuple(sorted(set(PROVINCE_CODES.values())))

MALE_NAMES = (
    "Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Deni", "Dimas", "Eko", "Fajar",
    "Fauzi", "Hendra", "Heru", "Imam", "Irfan", "Joko", "Kurniawan", "Lukman", "Made", "Muhammad",
    "Nanang", "Nyoman", "Putu", "Rahmat", "Ramadhan", "Rizki", "Rudi", "Slamet", "Sugeng",
    "Supriadi", "Syahrul", "Taufik", "Teguh", "Wahyu", "Wayan", "Yanto", "Yusuf", "Zulkifli",
    "Aditya", "Bayu", "Dani", "Edi", "Gilang", "Hadi", "Ilham", "Komang", "Ketut", "Rian",
)
FEMALE_NAMES = (
    "Ani", "Ayu", "Dewi", "Dian", "Endang", "Fitri", "Indah", "Kartika", "Lestari", "Lina",
    "Maya", "Nur", "Nurul", "Putri", "Ratna", "Rina", "Sari", "Siti", "Sri", "Tuti", "Wulan",
    "Yuni", "Yulia", "Desi", "Eka", "Novi", "Rahma", "Wati", "Anisa", "Mega",
)
FAMILY_NAMES = (
    "Saputra", "Setiawan", "Hidayat", "Pratama", "Nugroho", "Santoso", "Wijaya", "Siregar",
    "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Gultom", "Manurung", "Tanjung",
    "Syahputra", "Kusuma", "Permana", "Hakim", "Rahman", "Hasibuan", "Daulay", "Ginting",
    "Tarigan", "Sembiring", "Lumbantobing", "Pohan", "Matondang", "Effendi", "Firmansyah",
    "Susanto", "Purnomo", "Hartono", "Gunawan", "Wibowo", "Kurnia", "Latuconsina", "Pattimura",
    "Rumbiak", "Wonda", "Mandacan", "Lasut", "Pangemanan", "Tumbelaka", "Makmur", "Ramli",
)
# A few names with characters outside ASCII (but inside Windows-1252): why cp1252 matters.
ACCENTED_NAMES = (
    "José", "René", "Andrés", "Noël", "Zoë", "Inés", "Nuñez", "Muñoz", "Rosé", "Chloé",
)

MINAT_BAKAT = (
    "", "", "menjahit", "pertukangan kayu", "memasak dan membuat kue", "bertani sayuran",
    "beternak", "budidaya ikan", "mengelas", "montir sepeda motor", "melukis", "kaligrafi",
    "musik", "olahraga", "kerajinan tangan", "komputer", "pangkas rambut", "sablon, desain",
    "bangunan", "berdagang", "membatik", "anyaman rotan",
)

OFFICER_TITLES = ("", "", "", "Drs. ", "Ir. ")
OFFICER_SUFFIXES = ("", "", ", S.H.", ", S.Sos.", ", A.Md.P.", ", S.E.", ", M.H.")

MITRA = (
    "CV Karya Mandiri Sejahtera", "PT Sinar Jaya Abadi", "Koperasi Pegawai Pemasyarakatan",
    "UD Makmur Sentosa", "CV Berkah Tani", "PT Nusantara Kriya Utama", "Yayasan Bina Insan Mandiri",
    "Dinas Pertanian Kabupaten", "Dinas Perindustrian Kota", "BLK Komunitas Harapan",
    "CV Mebel Jati Lestari", "Kelompok Tani Maju Bersama", "PT Roti Nusantara Rasa",
    "Bumdes Sumber Rejeki", "CV Batik Warisan Nusantara",
)
PENERBIT = (
    "LSP Pemasyarakatan", "BLK Kabupaten", "Dinas Tenaga Kerja Provinsi", "LSP Tata Boga Nusantara",
    "LSP Konstruksi Indonesia", "Balai Latihan Kerja Kota", "LSP Garmen Indonesia",
)

# Product catalogue per sub-sector: (product, unit, price in Rupiah, QC base pass rate,
# quality standards, harvest months or None).
PRODUCTS: dict[str, tuple[tuple, ...]] = {
    "TANAMAN_PANGAN": (
        ("Beras", "kg", 12_500, 0.97, ("INTERNAL", "TIDAK_ADA"), (3, 4, 8, 9)),
        ("Jagung pipil", "kg", 6_000, 0.95, ("TIDAK_ADA",), (2, 3, 7, 8)),
        ("Kacang tanah", "kg", 25_000, 0.93, ("TIDAK_ADA",), (5, 6, 11)),
        ("Singkong", "kg", 4_000, 0.96, ("TIDAK_ADA",), (1, 6, 7, 12)),
    ),
    "HORTIKULTURA": (
        ("Cabai merah", "kg", 45_000, 0.88, ("TIDAK_ADA",), (1, 2, 5, 6, 7, 10, 11)),
        ("Kangkung", "ikat", 3_000, 0.94, ("TIDAK_ADA",), None),
        ("Sawi hijau", "ikat", 4_000, 0.93, ("TIDAK_ADA",), None),
        ("Tomat", "kg", 12_000, 0.9, ("TIDAK_ADA",), (3, 4, 5, 8, 9, 10)),
        ("Tanaman hias", "pot", 35_000, 0.92, ("INTERNAL",), None),
    ),
    "PERKEBUNAN": (
        ("Kopi biji", "kg", 60_000, 0.9, ("INTERNAL",), (5, 6, 7, 8)),
        ("Kelapa", "butir", 8_000, 0.95, ("TIDAK_ADA",), None),
    ),
    "PETERNAKAN": (
        ("Telur ayam", "kg", 28_000, 0.95, ("INTERNAL", "HALAL"), None),
        ("Ayam potong", "ekor", 45_000, 0.94, ("HALAL",), None),
        ("Kambing", "ekor", 2_500_000, 0.98, ("TIDAK_ADA",), (5, 6)),
        ("Susu sapi", "liter", 15_000, 0.9, ("INTERNAL",), None),
    ),
    "PERIKANAN_AIR_TAWAR": (
        ("Ikan lele", "kg", 25_000, 0.93, ("TIDAK_ADA",), None),
        ("Ikan nila", "kg", 32_000, 0.92, ("TIDAK_ADA",), None),
        ("Ikan gurame", "kg", 50_000, 0.9, ("TIDAK_ADA",), None),
    ),
    "PERIKANAN_AIR_PAYAU": (
        ("Udang vaname", "kg", 75_000, 0.87, ("INTERNAL",), (4, 5, 9, 10)),
        ("Ikan bandeng", "kg", 30_000, 0.92, ("TIDAK_ADA",), None),
    ),
    "PERIKANAN_LAUT": (
        ("Ikan kerapu", "kg", 120_000, 0.88, ("INTERNAL",), (3, 4, 9, 10, 11)),
        ("Rumput laut kering", "kg", 15_000, 0.9, ("INTERNAL",), None),
    ),
    "JASA_PERSONAL_SOSIAL": (
        ("Jasa laundry", "kg", 7_000, 0.98, ("INTERNAL",), None),
        ("Jasa pangkas rambut", "orang", 15_000, 0.99, ("TIDAK_ADA",), None),
        ("Katering nasi kotak", "porsi", 20_000, 0.97, ("HALAL", "P-IRT"), None),
    ),
    "JASA_BISNIS": (("Jasa desain dan pengetikan", "dokumen", 25_000, 0.97, ("INTERNAL",), None),),
    "JASA_INFRASTRUKTUR": (("Jasa cuci kendaraan", "unit", 35_000, 0.99, ("TIDAK_ADA",), None),),
    "JASA_KONSTRUKSI": (("Jasa renovasi bangunan", "m2", 350_000, 0.95, ("INTERNAL", "SNI"), None),),
    "JASA_PERDAGANGAN": (
        ("Jasa servis sepeda motor", "unit", 75_000, 0.96, ("INTERNAL",), None),
        ("Jasa servis elektronik", "unit", 60_000, 0.94, ("INTERNAL",), None),
    ),
    "JASA_PENGIRIMAN": (("Jasa pengiriman paket", "paket", 20_000, 0.99, ("TIDAK_ADA",), None),),
    "MAKANAN_MINUMAN": (
        ("Roti manis", "pcs", 5_000, 0.93, ("P-IRT", "HALAL"), None),
        ("Kue kering", "toples", 45_000, 0.91, ("P-IRT", "HALAL"), None),
        ("Keripik singkong", "bungkus", 12_000, 0.94, ("P-IRT",), None),
        ("Kopi bubuk", "bungkus", 25_000, 0.95, ("P-IRT", "HALAL"), None),
        ("Air minum isi ulang", "galon", 6_000, 0.97, ("SNI",), None),
    ),
    "KONVEKSI_TEKSTIL": (
        ("Kemeja batik", "pcs", 250_000, 0.89, ("INTERNAL",), None),
        ("Seragam kerja", "stel", 175_000, 0.92, ("INTERNAL",), None),
        ("Kain tenun", "lembar", 400_000, 0.86, ("INTERNAL",), None),
        ("Kaos bordir", "pcs", 60_000, 0.93, ("INTERNAL",), None),
    ),
    "MEUBELER_KAYU": (
        ("Kursi kayu", "unit", 450_000, 0.9, ("INTERNAL",), None),
        ("Meja kayu jati", "unit", 1_500_000, 0.88, ("INTERNAL", "SNI"), None),
        ("Lemari pakaian", "unit", 2_750_000, 0.86, ("INTERNAL",), None),
        ("Kusen pintu", "unit", 650_000, 0.91, ("SNI",), None),
    ),
    "KERAJINAN": (
        ("Tas anyaman", "pcs", 85_000, 0.9, ("INTERNAL",), None),
        ("Miniatur kapal", "pcs", 350_000, 0.85, ("INTERNAL",), None),
        ("Kerajinan rotan", "pcs", 150_000, 0.89, ("INTERNAL",), None),
        ("Gantungan kunci", "pcs", 10_000, 0.96, ("TIDAK_ADA",), None),
    ),
    "BAHAN_BANGUNAN": (
        ("Paving block", "pcs", 2_500, 0.94, ("SNI",), None),
        ("Batako", "pcs", 3_500, 0.93, ("SNI",), None),
        ("Genteng beton", "pcs", 7_000, 0.91, ("SNI",), None),
        ("Batu bata", "pcs", 800, 0.9, ("TIDAK_ADA",), None),
    ),
    "PERCETAKAN": (
        ("Sablon kaos", "pcs", 45_000, 0.94, ("INTERNAL",), None),
        ("Cetak undangan", "lembar", 3_000, 0.97, ("INTERNAL",), None),
        ("Penjilidan buku", "buku", 15_000, 0.98, ("INTERNAL",), None),
    ),
    "LOGAM_BENGKEL": (
        ("Teralis besi", "m2", 450_000, 0.92, ("SNI", "INTERNAL"), None),
        ("Pagar besi", "m2", 550_000, 0.91, ("SNI",), None),
        ("Pisau dapur", "pcs", 35_000, 0.9, ("INTERNAL",), None),
    ),
    "KIMIA_RUMAH_TANGGA": (
        ("Sabun cair", "liter", 15_000, 0.95, ("INTERNAL", "SNI"), None),
        ("Pembersih lantai", "liter", 12_000, 0.96, ("INTERNAL",), None),
        ("Deterjen cair", "liter", 14_000, 0.95, ("INTERNAL",), None),
    ),
}

TRAINING_NAMES: dict[str, tuple[str, ...]] = {
    "TANAMAN_PANGAN": ("Pelatihan Budidaya Padi", "Pelatihan Budidaya Jagung"),
    "HORTIKULTURA": ("Pelatihan Hidroponik", "Pelatihan Budidaya Sayuran"),
    "PERKEBUNAN": ("Pelatihan Budidaya Kopi",),
    "PETERNAKAN": ("Pelatihan Beternak Ayam", "Pelatihan Penggemukan Kambing"),
    "PERIKANAN_AIR_TAWAR": ("Pelatihan Budidaya Lele", "Pelatihan Budidaya Nila"),
    "PERIKANAN_AIR_PAYAU": ("Pelatihan Budidaya Udang",),
    "PERIKANAN_LAUT": ("Pelatihan Budidaya Rumput Laut",),
    "JASA_PERSONAL_SOSIAL": ("Pelatihan Pangkas Rambut", "Pelatihan Tata Boga", "Pelatihan Barista"),
    "JASA_BISNIS": ("Pelatihan Komputer Perkantoran", "Pelatihan Desain Grafis"),
    "JASA_INFRASTRUKTUR": ("Pelatihan Mengemudi",),
    "JASA_KONSTRUKSI": ("Pelatihan Tukang Bangunan", "Pelatihan Instalasi Listrik"),
    "JASA_PERDAGANGAN": ("Pelatihan Montir Sepeda Motor", "Pelatihan Servis Elektronik"),
    "JASA_PENGIRIMAN": ("Pelatihan Logistik dan Pengemasan",),
    "MAKANAN_MINUMAN": ("Pelatihan Pembuatan Roti dan Kue", "Pelatihan Pengolahan Kopi"),
    "KONVEKSI_TEKSTIL": ("Pelatihan Menjahit", "Pelatihan Membatik", "Pelatihan Bordir"),
    "MEUBELER_KAYU": ("Pelatihan Pertukangan Kayu", "Pelatihan Finishing Meubel"),
    "KERAJINAN": ("Pelatihan Anyaman Rotan", "Pelatihan Kerajinan Tangan"),
    "BAHAN_BANGUNAN": ("Pelatihan Pembuatan Batako dan Paving",),
    "PERCETAKAN": ("Pelatihan Sablon", "Pelatihan Percetakan Digital"),
    "LOGAM_BENGKEL": ("Pelatihan Pengelasan", "Pelatihan Pandai Besi"),
    "KIMIA_RUMAH_TANGGA": ("Pelatihan Pembuatan Sabun Cair",),
}

# Typical industry classification per industrial sub-sector (bahan_baku, produksi, bahan_mentah,
# lokasi, proses, barang); modal and pengelola are drawn separately.
INDUSTRY_PROFILE: dict[str, tuple[str, str, str, str, str, str]] = {
    "MAKANAN_MINUMAN": ("NON_EKSTRAKTIF", "PRIMER", "PERTANIAN", "PASAR", "HILIR", "RINGAN"),
    "KONVEKSI_TEKSTIL": ("NON_EKSTRAKTIF", "PRIMER", "PERTANIAN", "TENAGA_KERJA", "HILIR", "RINGAN"),
    "MEUBELER_KAYU": ("NON_EKSTRAKTIF", "PRIMER", "PERTANIAN", "BAHAN_BAKU", "HILIR", "RINGAN"),
    "KERAJINAN": ("NON_EKSTRAKTIF", "PRIMER", "PERTANIAN", "FOOTLOOSE", "HILIR", "RINGAN"),
    "BAHAN_BANGUNAN": ("EKSTRAKTIF", "SEKUNDER", "PERTAMBANGAN", "BAHAN_BAKU", "HULU", "BERAT"),
    "PERCETAKAN": ("FASILITATIF", "TERSIER", "JASA", "PASAR", "HILIR", "RINGAN"),
    "LOGAM_BENGKEL": ("NON_EKSTRAKTIF", "SEKUNDER", "PERTAMBANGAN", "PENGOLAHAN", "HULU", "BERAT"),
    "KIMIA_RUMAH_TANGGA": ("NON_EKSTRAKTIF", "PRIMER", "PERTAMBANGAN", "PENGOLAHAN", "HILIR", "RINGAN"),
}

KETERANGAN_PNBP = (
    "Setoran PNBP hasil penjualan produk", "Setoran hasil kegiatan kerja", "Setoran PNBP",
    "", "Setoran penjualan galeri", "Setoran sebagian, sisa menyusul",
)
