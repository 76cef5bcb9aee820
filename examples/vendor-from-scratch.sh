#!/usr/bin/env bash
# A vendor from an empty database, with nothing but commands: organisations, trainers and their skills, a room,
# a project whose training obligations come from the tender's own words, and an automatic schedule.
#   LMS_DATABASE_URL=sqlite:///vendor.db LMS=".venv/bin/lms" bash examples/vendor-from-scratch.sh
set -euo pipefail
LMS=${LMS:-lms}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ACCEPTANCE=${ACCEPTANCE:-$(date -d "+3 weeks" +%F)}  # the planned acceptance, a few weeks ahead

$LMS init
$LMS courses import "$HERE/../courses/library"

$LMS orgs add SUNHEAT --kind vendor --name 苏州阳光热能工程有限公司 --name-en "Sunheat Engineering" --city 苏州
$LMS orgs add WX-HOSP --kind buyer --name 无锡市第二人民医院 --name-en "Wuxi No. 2 People's Hospital" --city 无锡
$LMS orgs add HELIO --kind manufacturer --name 海力欧太阳能科技有限公司 --name-en "Helio Solar" --city 常州

$LMS people add T001 --kind trainer --name 陈立峰 --org SUNHEAT --title 技术负责人
$LMS people add T002 --kind trainer --name 王海燕 --org HELIO --title 厂家工程师
for trainer in T001 T002; do
  for skill in SHW-OPERATE SHW-MAINTAIN; do
    $LMS skills add --person "$trainer" --skill "$skill" --from 2026-01-01 --until 2028-12-31 --issuer 海力欧太阳能
  done
done
$LMS rooms add WX-R1 --name 医技楼三楼会议室 --city 无锡 --capacity 24 --org WX-HOSP

$LMS projects new P-WX-SHW --buyer WX-HOSP --name 医技楼太阳能集中热水系统 --site "无锡市梁溪区中山路 68 号" \
  --city 无锡 --warranty-months 24 --acceptance "$ACCEPTANCE" --course SHW-OM

# The tender's after-sales section, pasted as the PM has it.
cat > "$WORK/tender.txt" <<'TENDER'
五、培训要求
1. 验收合格后2个工作日内，在采购人现场开展集中培训，培训不少于2个工作日，参训人员不少于5人，内容包括操作、维护保养及故障处理；培训结束后对每位学员进行考核，考核合格者颁发培训合格证书，不合格者安排补考。
2. 接到报修通知后2小时内响应，24小时内到达现场。
TENDER
$LMS obligations parse "$WORK/tender.txt"
# What the clause does not say (the audience), the PM gives; the course is the project's.
$LMS obligations add --project P-WX-SHW --clause "$(sed -n 2p "$WORK/tender.txt")" \
  --set "audience=[operator, maintenance_technician]" --set "courses=[SHW-OM]"
$LMS obligations list --project P-WX-SHW

$LMS schedule auto --project P-WX-SHW --apply
$LMS obligations status --project P-WX-SHW
