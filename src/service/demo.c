/*
 * demo.c — the seed's world in a new database (see demo.h): its registry and accounts here,
 * its classes in demo_training.c.
 *
 * 福建省 → 泉州市 → 南安市 with Nan'an's 26 township-level units (3 streets, 21 towns,
 * 2 townships), 5 development zones and parks and 40 city departments: 71 units, each with
 * one first-in-command (一把手) — the 71 trainees of the seed's class. Around them a few
 * thousand other cadres of mixed ranks with synthetic names and ID numbers that pass the
 * GB 11643 check. Three heads carry the names of the trainees the article quotes (谢晓敏,
 * 黄子牙, 王晓东). The six demo accounts get the password given with --password, or one
 * generated and printed.
 *
 * Everything is drawn from a fixed-seed generator, so two demo databases are identical
 * apart from the random parts of encryption.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/mem.h"
#include "base/secret.h"
#include "service/demo_int.h"
#include "store/accounts.h"
#include "store/demo.h"
#include "store/registry.h"

/* splitmix64: small, fast, good enough for synthetic data. */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int rng_int(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

#define PICK(r, arr) (arr[rng_int((r), 0, (int)(sizeof arr / sizeof arr[0]) - 1)])

struct demo_unit {
	const char *name;
	const char *type;
	const char *industries;
	const char *head_post;
	const char *deputy_post;
};

/* clang-format off */
static const struct demo_unit demo_units[] = {
	{"溪美街道", "street", "", "党工委书记", "办事处主任"},
	{"柳城街道", "street", "", "党工委书记", "办事处主任"},
	{"美林街道", "street", "", "党工委书记", "办事处主任"},
	{"省新镇", "township", "石材", "党委书记", "镇长"},
	{"仑苍镇", "township", "水暖", "党委书记", "镇长"},
	{"东田镇", "township", "农业", "党委书记", "镇长"},
	{"英都镇", "township", "", "党委书记", "镇长"},
	{"翔云镇", "township", "", "党委书记", "镇长"},
	{"金淘镇", "township", "", "党委书记", "镇长"},
	{"诗山镇", "township", "", "党委书记", "镇长"},
	{"蓬华镇", "township", "", "党委书记", "镇长"},
	{"码头镇", "township", "", "党委书记", "镇长"},
	{"九都镇", "township", "", "党委书记", "镇长"},
	{"乐峰镇", "township", "", "党委书记", "镇长"},
	{"罗东镇", "township", "", "党委书记", "镇长"},
	{"梅山镇", "township", "机械", "党委书记", "镇长"},
	{"洪濑镇", "township", "日用轻工", "党委书记", "镇长"},
	{"洪梅镇", "township", "", "党委书记", "镇长"},
	{"康美镇", "township", "机械", "党委书记", "镇长"},
	{"丰州镇", "township", "", "党委书记", "镇长"},
	{"霞美镇", "township", "电子", "党委书记", "镇长"},
	{"官桥镇", "township", "", "党委书记", "镇长"},
	{"水头镇", "township", "石材", "党委书记", "镇长"},
	{"石井镇", "township", "石材", "党委书记", "镇长"},
	{"眉山乡", "township", "", "党委书记", "乡长"},
	{"向阳乡", "township", "", "党委书记", "乡长"},
	{"南安经济开发区", "zone", "机械,电子", "党工委书记", "管委会主任"},
	{"南安高新技术产业园区", "zone", "电子,新材料", "党工委书记", "管委会主任"},
	{"雪峰华侨经济开发区", "zone", "日用轻工", "党工委书记", "管委会主任"},
	{"滨江机械装备制造基地", "zone", "机械", "党工委书记", "管委会主任"},
	{"泉州芯谷南安分园区", "zone", "电子", "党工委书记", "管委会主任"},
	{"市纪委监委", "department", "", "书记", "副书记"},
	{"市委办公室", "department", "", "主任", "副主任"},
	{"市政府办公室", "department", "", "主任", "副主任"},
	{"市委组织部", "department", "", "常务副部长", "副部长"},
	{"市委宣传部", "department", "", "常务副部长", "副部长"},
	{"市委统战部", "department", "", "常务副部长", "副部长"},
	{"市委政法委", "department", "", "常务副书记", "副书记"},
	{"市委编办", "department", "", "主任", "副主任"},
	{"市发展和改革局", "department", "", "局长", "副局长"},
	{"市教育局", "department", "", "局长", "副局长"},
	{"市科学技术局", "department", "", "局长", "副局长"},
	{"市工业和信息化局", "department", "石材,水暖,机械,日用轻工,电子", "局长", "副局长"},
	{"市公安局", "department", "", "局长", "副局长"},
	{"市民政局", "department", "", "局长", "副局长"},
	{"市司法局", "department", "", "局长", "副局长"},
	{"市财政局", "department", "", "局长", "副局长"},
	{"市人力资源和社会保障局", "department", "", "局长", "副局长"},
	{"市自然资源局", "department", "", "局长", "副局长"},
	{"市生态环境局", "department", "", "局长", "副局长"},
	{"市住房和城乡建设局", "department", "", "局长", "副局长"},
	{"市交通运输局", "department", "", "局长", "副局长"},
	{"市水利局", "department", "", "局长", "副局长"},
	{"市农业农村局", "department", "农业", "局长", "副局长"},
	{"市商务局", "department", "", "局长", "副局长"},
	{"市文体旅游局", "department", "", "局长", "副局长"},
	{"市卫生健康局", "department", "", "局长", "副局长"},
	{"市退役军人事务局", "department", "", "局长", "副局长"},
	{"市应急管理局", "department", "", "局长", "副局长"},
	{"市审计局", "department", "", "局长", "副局长"},
	{"市市场监督管理局", "department", "", "局长", "副局长"},
	{"市统计局", "department", "", "局长", "副局长"},
	{"市医疗保障局", "department", "", "局长", "副局长"},
	{"市林业局", "department", "", "局长", "副局长"},
	{"市城市管理局", "department", "", "局长", "副局长"},
	{"市信访局", "department", "", "局长", "副局长"},
	{"市数据管理局", "department", "", "局长", "副局长"},
	{"市总工会", "department", "", "常务副主席", "副主席"},
	{"团市委", "department", "", "书记", "副书记"},
	{"市妇联", "department", "", "主席", "副主席"},
	{"市融媒体中心", "department", "", "主任", "副主任"},
};
/* clang-format on */

#define N_DEMO_UNITS (sizeof demo_units / sizeof demo_units[0])
_Static_assert(N_DEMO_UNITS == 71, "the seed's class has 71 first-in-command trainees");

/* The trainees the article quotes, as heads of units that fit what they said. */
static const struct {
	const char *unit;
	const char *name;
	char gender;
} quoted[] = {
	{ "南安高新技术产业园区", "谢晓敏", 'F' }, /* spoke about the park's industries */
	{ "市工业和信息化局", "黄子牙", 'M' },     /* spoke about the leading industries */
	{ "市发展和改革局", "王晓东", 'M' },       /* spoke about 本领恐慌 and livelihoods */
};

static const char *const surnames[] = {
	"陈", "陈", "陈", "林", "林", "林", "黄", "黄", "王", "李", "张", "吴", "刘", "蔡", "洪",
	"郑", "苏", "傅", "叶", "许", "杨", "何", "戴", "潘", "施", "庄", "柯", "余", "詹", "卓",
};
static const char *const given[] = {
	"伟", "强", "敏", "静", "丽", "军", "杰", "涛", "明", "超", "勇", "艳", "娟", "华", "平",
	"辉", "鑫", "婷", "斌", "宇", "浩", "凯", "晓", "建", "志", "文", "海", "燕", "玲", "峰",
	"雪", "晨", "阳", "毅", "清", "源", "泉", "南", "安", "鸿", "泽", "锦", "荣", "丹", "琳",
};
static const char *const clerk_posts[] = { "科员",   "办公室主任",   "综合科科长", "股长",
					   "副科长", "四级主任科员", "一级科员",   "项目专员" };
static const char *const clerk_grades[] = { "clerk_1",     "clerk_2",     "principal_4",
					    "principal_3", "principal_2", "principal_1" };

struct demo {
	struct store *db;
	const struct secret_keys *keys;
	struct rng rng;
	int64_t region_id;
	int64_t unit_ids[N_DEMO_UNITS];
	int64_t head_ids[N_DEMO_UNITS];
	char head0_name[32]; /* the first head's name: trainee1's account is hers or his */
	uint64_t *used;      /* (birth date, sequence) pairs taken: open addressing, 0 = free */
	size_t used_cap;
	int32_t today;
	int cadres;
};

/* Mark key as used; true when it was used already. */
static bool used_take(struct demo *d, uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (d->used_cap - 1);
	while (d->used[i]) {
		if (d->used[i] == key)
			return true;
		i = (i + 1) & (d->used_cap - 1);
	}
	d->used[i] = key;
	return false;
}

static void make_name(struct demo *d, char *out, size_t size)
{
	if (rng_int(&d->rng, 0, 2))
		snprintf(out, size, "%s%s%s", PICK(&d->rng, surnames), PICK(&d->rng, given),
			 PICK(&d->rng, given));
	else
		snprintf(out, size, "%s%s", PICK(&d->rng, surnames), PICK(&d->rng, given));
}

static px_err add_cadre(struct demo *d, int unit, const char *name, char gender, int born_lo,
			int born_hi, const char *post, int is_head, const char *rank,
			const char *grade, const char *category, int64_t *id)
{
	char buf[32];
	struct cadre c = { .unit_id = d->unit_ids[unit],
			   .post = post,
			   .is_head = is_head,
			   .rank_level = rank,
			   .grade = grade,
			   .category = category,
			   .status = "active" };
	if (!name) {
		make_name(d, buf, sizeof buf);
		name = buf;
	}
	c.name = name;
	if (!gender)
		gender = rng_int(&d->rng, 0, 9) < 6 ? 'M' : 'F';
	int y = rng_int(&d->rng, born_lo, born_hi), m = rng_int(&d->rng, 1, 12),
	    day = rng_int(&d->rng, 1, 28);
	/* 3-digit sequence: odd for men, even for women; the seq counter keeps it unique. */
	/* The 3-digit sequence is odd for men, even for women; a (birth date, sequence) pair
	 * already used moves on to the next free sequence number. */
	int32_t born = date_from_ymd(y, m, day);
	int seq3 = (rng_int(&d->rng, 0, 499) * 2 + (gender == 'M' ? 1 : 0));
	while (used_take(d, (uint64_t)(born + 100000) * 1000 + (uint64_t)seq3)) {
		seq3 += 2;
		if (seq3 >= 1000) {
			seq3 -= 1000;
			born++;
		}
	}
	date_to_ymd(born, &y, &m, &day);
	char id17[32];
	snprintf(id17, sizeof id17, "350583%04d%02d%02d%03d", y, m, day, seq3);
	memcpy(c.id_number, id17, 17);
	c.id_number[17] = idcard_check_char(id17);
	c.id_number[18] = '\0';
	date_format(born, c.birth_date);
	c.gender[0] = gender;
	c.gender[1] = '\0';
	char phone[12], post_date[11];
	snprintf(phone, sizeof phone, "1%d%09d", PICK(&d->rng, ((int[]){ 3, 5, 8, 9 })),
		 rng_int(&d->rng, 0, 999999999));
	c.phone = phone;
	date_format(date_from_ymd(rng_int(&d->rng, 2016, 2022), rng_int(&d->rng, 1, 12), 1),
		    post_date);
	c.post_date = post_date;
	c.promotion_date = is_head ? post_date : "";
	struct cadre_sealed z;
	px_err rc = cadre_seal(d->keys, &c, &z);
	if (!rc)
		rc = cadres_insert(d->db, &c, &z, time_now(), true);
	if (id)
		*id = c.id;
	return rc;
}

static px_err build_registry(struct demo *d)
{
	struct region prov = { .name = "福建省", .code = "350000", .level = "province" };
	px_err rc = regions_insert(d->db, &prov);
	struct region city = {
		.parent_id = prov.id, .name = "泉州市", .code = "350500", .level = "city"
	};
	if (!rc)
		rc = regions_insert(d->db, &city);
	struct region county = {
		.parent_id = city.id, .name = "南安市", .code = "350583", .level = "county"
	};
	if (!rc)
		rc = regions_insert(d->db, &county);
	d->region_id = county.id;
	for (size_t i = 0; !rc && i < N_DEMO_UNITS; i++) {
		struct unit u = { .region_id = county.id,
				  .name = demo_units[i].name,
				  .type = demo_units[i].type,
				  .industries = demo_units[i].industries,
				  .sort_order = (int)i + 1 };
		rc = units_insert(d->db, &u);
		d->unit_ids[i] = u.id;
	}
	/* The 71 heads: township/section level, the trainees of the seed's class. */
	for (size_t i = 0; !rc && i < N_DEMO_UNITS; i++) {
		const char *name = NULL;
		char gender = 0;
		for (size_t q = 0; q < sizeof quoted / sizeof quoted[0]; q++)
			if (!strcmp(quoted[q].unit, demo_units[i].name)) {
				name = quoted[q].name;
				gender = quoted[q].gender;
			}
		if (i == 0) { /* the name add_cadre would make, kept for the account */
			if (!name)
				make_name(d, d->head0_name, sizeof d->head0_name);
			else
				snprintf(d->head0_name, sizeof d->head0_name, "%s", name);
			name = d->head0_name;
		}
		rc = add_cadre(d, (int)i, name, gender, 1968, 1983, demo_units[i].head_post, 1,
			       "township_section", "", "party_gov_leader", &d->head_ids[i]);
	}
	/* Deputies and staff, spread over the units until the total is reached. */
	int made = (int)N_DEMO_UNITS;
	for (int round = 0; !rc && made < d->cadres; round++) {
		int unit = round % (int)N_DEMO_UNITS;
		bool deputy = round < (int)N_DEMO_UNITS * 3;
		if (deputy) {
			rc = add_cadre(d, unit, NULL, 0, 1970, 1988,
				       round < (int)N_DEMO_UNITS ? demo_units[unit].deputy_post
								 : "党委委员",
				       0, "township_section", "", "party_gov_leader", NULL);
		} else if (rng_int(&d->rng, 0, 49) == 0) {
			rc = add_cadre(d, unit, NULL, 0, 1966, 1975, "四级调研员", 0,
				       "county_division", "researcher_4", "civil_servant", NULL);
		} else {
			bool zone = !strcmp(demo_units[unit].type, "zone");
			rc = add_cadre(d, unit, NULL, 0, 1972, 2000, PICK(&d->rng, clerk_posts), 0,
				       "general", PICK(&d->rng, clerk_grades),
				       zone && rng_int(&d->rng, 0, 2) == 0 ? "institution_staff"
									   : "civil_servant",
				       NULL);
		}
		made++;
	}
	return rc;
}

/* The classes: the seed's and a party school's term (demo_training.c). */
static px_err training(struct svc *c, struct demo *d, const int64_t users[4],
		       struct demo_report *out)
{
	int64_t others[300];
	size_t n = 0;
	px_err rc = demo_staff_ids(d->db, 300, others, &n);
	if (rc)
		return rc;
	struct demo_refs refs = { .region_id = d->region_id,
				  .heads = d->head_ids,
				  .n_heads = N_DEMO_UNITS,
				  .others = others,
				  .n_others = n,
				  .admin_user = users[0],
				  .admin2_user = users[1],
				  .manager_user = users[2],
				  .expert_user = users[3] };
	return svc_demo_training(c, &refs, out);
}

static px_err add_account(struct demo *d, const char *username, const char *name, const char *role,
			  int64_t region, int64_t unit, int64_t cadre, const char *hash,
			  int64_t *id)
{
	struct user u = { .username = username,
			  .display_name = name,
			  .role = role,
			  .region_id = region,
			  .unit_id = unit,
			  .cadre_id = cadre,
			  .password_hash = hash,
			  .active = 1 };
	px_err rc = users_insert(d->db, &u);
	if (id)
		*id = u.id;
	return rc;
}

const char *const svc_demo_accounts[8] = { "sysadmin", "admin",    "manager", "expert1",
					   "liaison1", "trainee1", "viewer1", "admin2" };

/* The eight accounts (named in svc_demo_accounts), all with the password whose hash is
 * given; the ids of admin, admin2, manager and expert1 into users. Accounts of people carry their
 * names (the menu shows them): the class manager's is made up, the lecturer's is the seed's first
 * expert (demo_training.c), the trainee's the first head's. */
static px_err accounts(struct demo *d, const char *hash, int64_t users[4])
{
	px_err rc = add_account(d, "sysadmin", "系统管理员", "sysadmin", 0, 0, 0, hash, NULL);
	if (!rc)
		rc = add_account(d, "admin", "南安市委组织部", "org_admin", d->region_id, 0, 0,
				 hash, &users[0]);
	if (!rc)
		rc = add_account(d, "manager", "林晓燕", "class_manager", 0, 0, 0, hash, &users[2]);
	if (!rc)
		rc = add_account(d, "expert1", "王立新", "expert", 0, 0, 0, hash, &users[3]);
	if (!rc)
		rc = add_account(d, "liaison1", "溪美街道联络员", "unit_liaison", 0, d->unit_ids[0],
				 0, hash, NULL);
	if (!rc)
		rc = add_account(d, "trainee1", d->head0_name, "trainee", 0, 0, d->head_ids[0],
				 hash, NULL);
	if (!rc)
		rc = add_account(d, "viewer1", "市委领导", "viewer", d->region_id, 0, 0, hash,
				 NULL);
	/* A second account of the organization department: who submits a plan or a class may
	 * not approve it (SPEC §7), another account of the office may. */
	if (!rc)
		rc = add_account(d, "admin2", "南安市委组织部干部教育科", "org_admin", d->region_id,
				 0, 0, hash, &users[1]);
	return rc;
}

px_err svc_demo_build(struct svc *c, const struct demo_options *o, struct demo_report *out)
{
	*out = (struct demo_report){ .units = N_DEMO_UNITS };
	int64_t regions = 0;
	px_err rc = regions_count(c->db, &regions);
	if (!rc && regions > 0) {
		out->not_empty = true;
		return PX_ERR_CONFLICT;
	}
	char hash[128];
	if (rc || (rc = secret_password_hash(o->password, hash)))
		return rc;
	struct demo d = { .db = c->db,
			  .keys = svc_keys(c),
			  .rng = { 20230218 },
			  .cadres = o->cadres,
			  .today = date_today_cst() };
	d.used_cap = 1;
	while (d.used_cap < (size_t)o->cadres * 2)
		d.used_cap <<= 1;
	d.used = xcalloc(d.used_cap, sizeof *d.used);
	if ((rc = svc_begin(c))) {
		free(d.used);
		return rc;
	}
	rc = build_registry(&d);
	int64_t users[4] = { 0 }; /* admin, admin2, manager, expert1 */
	if (!rc)
		rc = accounts(&d, hash, users);
	if (!rc)
		rc = training(c, &d, users, out);
	json_t *after = json_pack("{sb}", "demo", 1);
	rc = svc_commit(c, rc, "demo", "database", 0, NULL, after);
	json_decref(after);
	free(d.used);
	return rc;
}
