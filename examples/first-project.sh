#!/usr/bin/env bash
# A vendor's first project from an empty database, with commands only: master data, the project and its training
# duty, a session for it, the roster, attendance day by day (one trainee misses the second day), the written answers
# graded and the practical marked, certificates for those who attended and passed, the obligation met, the pack.
#
#   LMS_DATABASE_URL=sqlite:////tmp/first.db bash examples/first-project.sh [WORK_FOLDER]
#
# "Today" is pinned with LMS_TODAY at each step, as the days of the training go by. LMS names the command
# (default: lms); the tests run it as "python -m lms".
set -euo pipefail

LMS=${LMS:-lms}
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
lms() { $LMS --lang en "$@"; }

export LMS_TODAY=2026-11-02
lms init
lms courses import "$HERE/courses/library/solar-hot-water.yaml"

# --- master data: the vendor, the buyer, a technical lead who teaches -----------------------------------------
lms orgs add SUNHEAT --kind vendor --name 阳光热能科技有限公司 --name-en "Sunheat Technology" --city 无锡
lms orgs add WX-HOSP --kind buyer --name 无锡市第二人民医院 --name-en "Wuxi No. 2 People's Hospital" --city 无锡
lms people add T-LI --kind trainer --name 李工 --name-en "Li Gong" --org SUNHEAT --title 高级工程师 --technical-lead

# The trainer's own qualification (持证上岗): both skills the course grants, from the manufacturer's certificate.
for skill in SHW-OPERATE SHW-MAINTAIN; do
  lms skills add --person T-LI --skill "$skill" --from 2026-01-01 --issuer "厂家培训中心" --reference "MFR-2026-$skill"
done

# --- the project and its obligation, from the tender's own words ---------------------------------------------
lms projects new P2026-WX-SHW --buyer WX-HOSP --name 医技楼太阳能集中热水系统 \
  --name-en "Medical technology building central solar hot water" \
  --site "无锡市梁溪区中山路 68 号 医技楼" --city 无锡 --warranty-months 24 --acceptance 2026-11-20
lms obligations add --project P2026-WX-SHW --id OB-1 \
  --clause "验收合格后2个工作日内，在采购人现场开展集中培训，培训不少于2个工作日，参训人员不少于5人，内容包括操作、维护保养及故障处理；培训结束后对每位学员进行考核，考核合格者颁发培训合格证书。" \
  --set "audience=[operator, maintenance_technician]" --set "courses=[SHW-OM]" --set "trainer_roles=[technical_lead]"

# --- the session: planned, confirmed, and the buyer's staff on its roster -----------------------------------
lms projects set-date P2026-WX-SHW acceptance 2026-11-20
lms sessions new --code S-SHW-1 --project P2026-WX-SHW --obligation OB-1 --start 2026-11-23 --days 2 --trainer T-LI
lms sessions confirm S-SHW-1
cat > "$WORK/roster.csv" <<'CSV'
code,姓名,岗位
B01,王芳,运行班长
B02,张伟,运行值班员
B03,刘洋,运行值班员
B04,陈静,维修电工
B05,杨帆,维修电工
B06,赵磊,水暖工
CSV
lms roster import S-SHW-1 "$WORK/roster.csv"

# --- attendance, on each day of the training: B06 misses the second day ---------------------------------------
export LMS_TODAY=2026-11-23
lms attendance mark S-SHW-1 --day 2026-11-23 --all
export LMS_TODAY=2026-11-24
lms attendance mark S-SHW-1 --day 2026-11-24 --all --absent B06
export LMS_TODAY=2026-11-25
lms sessions show S-SHW-1

# --- assessment: the written answers typed in from paper, then the practical ---------------------------------
{
  echo "trainee,question,answer"
  for trainee in B01 B02 B03 B04 B05 B06; do
    for key in op-01:c op-02:c op-03:b op-08:d mt-01:d mt-03:d fh-01:a fh-02:d; do
      echo "$trainee,${key%%:*},${key##*:}"
    done
  done
} > "$WORK/answers.csv"
lms quiz grade "$WORK/answers.csv" --course SHW-OM --session S-SHW-1 --record
for trainee in B01 B02 B03 B04 B05 B06; do
  lms quiz mark --session S-SHW-1 --trainee "$trainee" --practical 90
done

# --- certificates only for those who attended and passed (B06 is listed as refused) -------------------------
lms certs issue --session S-SHW-1 -o "$WORK/certificates"

# --- the duty is met; the evidence pack for the buyer --------------------------------------------------------
lms sessions close S-SHW-1
lms obligations status --project P2026-WX-SHW
lms report compliance --project P2026-WX-SHW -o "$WORK/evidence-pack.pdf"
