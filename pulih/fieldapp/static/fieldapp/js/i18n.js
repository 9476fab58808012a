// The field app's own words: Indonesian first, English second. Labels of domain
// choices come from the server (reference data) in the user's language.
const WORDS = {
  id: {
    loading: "Memuat…", offline: "Luring — data disimpan di ponsel dan dikirim saat ada sinyal.", online: "Daring",
    signin_first: "Masuk ke Pulih terlebih dahulu (perlu sinyal) untuk menyiapkan aplikasi lapangan.", signin: "Masuk",
    not_unit: "Aplikasi lapangan hanya untuk agen pemulihan dan ketua IBM.",
    pin_setup_title: "Buat PIN aplikasi", pin_setup_help: "PIN mengunci data klien di ponsel ini. Minimal 6 angka.",
    pin: "PIN", pin_again: "Ulangi PIN", pin_mismatch: "Kedua PIN tidak sama.", pin_short: "PIN minimal 6 angka.",
    pin_unlock_title: "Buka aplikasi", unlock: "Buka", pin_wrong: "PIN salah. Sisa percobaan: {n}.",
    wiped_pins: "Terlalu banyak PIN salah: data di ponsel ini sudah dihapus. Masuk lagi untuk mengunduh ulang.",
    wiped_days: "Tidak ada sinkronisasi selama {n} hari: data di ponsel ini sudah dihapus demi keamanan.",
    wiped_user: "Akun di server berbeda: data pengguna sebelumnya dihapus dari ponsel ini.",
    save_pin: "Simpan PIN", first_sync: "Mengunduh data unit…",
    caseload: "Klien unit", search: "Cari nama atau kode", no_clients: "Belum ada klien.",
    register: "Daftarkan klien", outreach: "Kontak penjangkauan", group_session: "Sesi (kelompok)",
    activity: "Kegiatan masyarakat", hotspot: "Titik rawan", sync: "Sinkronisasi", logout: "Keluar & hapus data",
    logout_confirm: "Keluar akan menghapus semua data di ponsel ini. Data yang belum terkirim akan hilang. Lanjutkan?",
    pending: "{n} belum terkirim", all_sent: "Semua terkirim", never: "belum pernah",
    last_sync: "Sinkronisasi terakhir berhasil", pending_count: "Menunggu dikirim", sync_now: "Sinkronkan sekarang",
    retry: "Coba kirim lagi", syncing: "Menyinkronkan…", sync_ok: "Sinkronisasi berhasil.",
    sync_offline: "Tidak ada sinyal. Data tetap tersimpan di ponsel dan dikirim otomatis saat sinyal kembali.",
    sync_login: "Sesi Anda berakhir. Masuk lagi untuk mengirim data.", sync_failed: "Sinkronisasi gagal: {m}",
    errors: "Catatan yang ditolak server", no_errors: "Tidak ada catatan yang ditolak.",
    conflicts: "Perbedaan data yang perlu dipilih", no_conflicts: "Tidak ada perbedaan data.",
    conflict_help: "Data ini diubah di server dan di ponsel dengan isi berbeda. Pilih yang benar.",
    server_value: "Di server", device_value: "Di ponsel", keep_server: "Pakai nilai server", keep_device: "Pakai nilai ponsel",
    need_online: "Perlu sinyal untuk memilih.", resolved: "Pilihan disimpan.",
    save: "Simpan", saved: "Tersimpan di ponsel. Akan dikirim saat sinkronisasi.", cancel: "Batal", back: "Kembali",
    required: "Wajib diisi.", choose: "— pilih —",
    timeline: "Riwayat", actions: "Catat", edit_client: "Ubah data kontak", screening: "Skrining ASSIST",
    plan: "Rencana intervensi", session: "Sesi", monitoring: "Kontak monitoring", urine: "Tes urin",
    referral: "Rujukan", sharing_consent: "Persetujuan berbagi data", note: "Catatan perkembangan",
    status: "Status", code: "Kode", episode: "Episode", pending_badge: "belum terkirim",
    f_name: "Nama atau alias", f_sex: "Jenis kelamin", f_birth_year: "Tahun lahir", f_age_band: "Kelompok umur",
    f_village: "Desa/kelurahan", f_rw: "RW", f_phone: "Nomor HP", f_nik: "NIK (boleh kosong)",
    f_referral_source: "Sumber rujukan", f_consent_services: "Klien setuju menerima layanan",
    f_consent_data: "Klien setuju datanya diolah", f_guardian: "Persetujuan orang tua/wali (klien di bawah umur)",
    f_given_by: "Persetujuan diberikan oleh", f_giver_name: "Nama pemberi persetujuan",
    f_date: "Tanggal", f_channel: "Cara", f_outcome: "Hasil", f_notes: "Catatan (tanpa nama orang)",
    f_goals: "Tujuan", f_modality: "Bentuk", f_frequency: "Frekuensi", f_responsible: "Agen penanggung jawab",
    f_review_on: "Tanggal tinjauan", f_kind: "Jenis", f_topic: "Topik", f_duration: "Durasi (menit)",
    f_clients: "Klien yang hadir", f_due_on: "Jadwal", f_mode: "Cara kontak", f_done_on: "Dilakukan pada",
    f_method: "Alat tes", f_facility: "Fasilitas", f_substances: "Zat yang dites", f_result: "Hasil",
    f_provider: "Tujuan rujukan", f_pathway: "Keperluan", f_reason: "Alasan rujukan", f_urgency: "Urgensi",
    f_destination: "Tujuan berbagi (kosong = semua tujuan rujukan)", f_share_identity: "Nama boleh dicantumkan di surat rujukan",
    f_label: "Nama tempat (bukan nama orang)", f_place: "Tempat", f_partners: "Mitra", f_description: "Uraian (tanpa nama warga)",
    f_participants: "Peserta (jumlah)", f_text: "Perkembangan", f_latitude: "Lintang", f_longitude: "Bujur",
    gps: "Ambil lokasi GPS", gps_wait: "Mencari lokasi…", gps_fail: "Lokasi tidak didapat: {m}", gps_ok: "Lokasi: {lat}, {lon} (±{acc} m)",
    no_mapping: "Unit belum punya pemetaan situasi; buat dulu di web.",
    assist_intro: "Bacakan setiap pertanyaan kepada klien. Pertanyaan berikutnya muncul sesuai jawaban.",
    assist_probe: "Pertanyaan penegasan", assist_done: "Skrining lengkap. Simpan untuk dikirim.", assist_missing: "Masih ada pertanyaan yang belum dijawab.",
    yes: "Ya", no: "Tidak", male: "Laki-laki", female: "Perempuan", language: "English",
    t_client: "Pendaftaran", t_consent: "Persetujuan", t_episode: "Episode", t_plan: "Rencana", t_session: "Sesi",
    t_note: "Catatan", t_urine: "Tes urin", t_contact: "Monitoring", t_screening: "Skrining", t_referral: "Rujukan",
    error_code: "Kode", removed: "Klien tidak lagi dalam daftar unit dan dihapus dari ponsel.",
    men: "Laki-laki", women: "Perempuan",
  },
  en: {
    loading: "Loading…", offline: "Offline — data is kept on the phone and sent when there is signal.", online: "Online",
    signin_first: "Sign in to Pulih first (needs signal) to set up the field app.", signin: "Sign in",
    not_unit: "The field app is for recovery agents and IBM coordinators only.",
    pin_setup_title: "Create an app PIN", pin_setup_help: "The PIN locks client data on this phone. At least 6 digits.",
    pin: "PIN", pin_again: "Repeat PIN", pin_mismatch: "The two PINs differ.", pin_short: "At least 6 digits.",
    pin_unlock_title: "Unlock the app", unlock: "Unlock", pin_wrong: "Wrong PIN. Attempts left: {n}.",
    wiped_pins: "Too many wrong PINs: the data on this phone was erased. Sign in again to download it.",
    wiped_days: "No sync for {n} days: the data on this phone was erased for safety.",
    wiped_user: "A different account is signed in: the previous user's data was erased from this phone.",
    save_pin: "Save PIN", first_sync: "Downloading the unit's data…",
    caseload: "Unit clients", search: "Search name or code", no_clients: "No clients yet.",
    register: "Register a client", outreach: "Outreach contact", group_session: "Session (group)",
    activity: "Community activity", hotspot: "Hotspot", sync: "Sync", logout: "Sign out & erase",
    logout_confirm: "Signing out erases all data on this phone. Unsent data will be lost. Continue?",
    pending: "{n} not sent", all_sent: "All sent", never: "never",
    last_sync: "Last successful sync", pending_count: "Waiting to be sent", sync_now: "Sync now",
    retry: "Send again", syncing: "Syncing…", sync_ok: "Sync succeeded.",
    sync_offline: "No signal. Data stays on the phone and is sent automatically when the signal returns.",
    sync_login: "Your session ended. Sign in again to send data.", sync_failed: "Sync failed: {m}",
    errors: "Records the server refused", no_errors: "No refused records.",
    conflicts: "Differences to choose from", no_conflicts: "No differences.",
    conflict_help: "This was changed on the server and on a phone differently. Choose the right one.",
    server_value: "On the server", device_value: "On the phone", keep_server: "Keep the server's value", keep_device: "Use the phone's value",
    need_online: "Needs signal to choose.", resolved: "Choice saved.",
    save: "Save", saved: "Saved on the phone. Sent at the next sync.", cancel: "Cancel", back: "Back",
    required: "Required.", choose: "— choose —",
    timeline: "History", actions: "Record", edit_client: "Edit contact details", screening: "ASSIST screening",
    plan: "Intervention plan", session: "Session", monitoring: "Monitoring contact", urine: "Urine test",
    referral: "Referral", sharing_consent: "Consent to share", note: "Progress note",
    status: "Status", code: "Code", episode: "Episode", pending_badge: "not sent",
    f_name: "Name or alias", f_sex: "Sex", f_birth_year: "Birth year", f_age_band: "Age band",
    f_village: "Village", f_rw: "RW", f_phone: "Phone", f_nik: "NIK (optional)",
    f_referral_source: "Referral source", f_consent_services: "The client consents to services",
    f_consent_data: "The client consents to data processing", f_guardian: "Parent/guardian consent (minor)",
    f_given_by: "Consent given by", f_giver_name: "Name of the person consenting",
    f_date: "Date", f_channel: "Channel", f_outcome: "Outcome", f_notes: "Notes (no names)",
    f_goals: "Goals", f_modality: "Modality", f_frequency: "Frequency", f_responsible: "Responsible agent",
    f_review_on: "Review date", f_kind: "Type", f_topic: "Topic", f_duration: "Duration (minutes)",
    f_clients: "Attending clients", f_due_on: "Due", f_mode: "Mode", f_done_on: "Done on",
    f_method: "Method", f_facility: "Facility", f_substances: "Substances tested", f_result: "Result",
    f_provider: "Destination", f_pathway: "Pathway", f_reason: "Reason", f_urgency: "Urgency",
    f_destination: "Destination (empty = any)", f_share_identity: "The name may appear on the letter",
    f_label: "Place (never a person)", f_place: "Place", f_partners: "Partners", f_description: "Description (no names)",
    f_participants: "Participants (count)", f_text: "Progress", f_latitude: "Latitude", f_longitude: "Longitude",
    gps: "Use GPS location", gps_wait: "Finding location…", gps_fail: "No location: {m}", gps_ok: "Location: {lat}, {lon} (±{acc} m)",
    no_mapping: "The unit has no situation mapping yet; create one on the web.",
    assist_intro: "Read each question to the client. Further questions appear from the answers.",
    assist_probe: "Probe", assist_done: "Screening complete. Save to send.", assist_missing: "Some questions are unanswered.",
    yes: "Yes", no: "No", male: "Male", female: "Female", language: "Bahasa Indonesia",
    t_client: "Registration", t_consent: "Consent", t_episode: "Episode", t_plan: "Plan", t_session: "Session",
    t_note: "Note", t_urine: "Urine test", t_contact: "Monitoring", t_screening: "Screening", t_referral: "Referral",
    error_code: "Code", removed: "The client left the unit's list and was removed from the phone.",
    men: "Male", women: "Female",
  },
};

let lang = localStorage.getItem("pulih-lang") || "id";

export function t(key, vars = {}) {
  const text = (WORDS[lang] && WORDS[lang][key]) || WORDS.id[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : ""));
}

export function language() {
  return lang;
}

export function toggleLanguage() {
  lang = lang === "id" ? "en" : "id";
  localStorage.setItem("pulih-lang", lang);
  document.documentElement.lang = lang;
}

export const KEYS = Object.keys(WORDS.id);
export const ENGLISH_KEYS = Object.keys(WORDS.en);
