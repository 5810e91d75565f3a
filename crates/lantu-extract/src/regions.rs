//! China's provincial-level divisions (GB/T 2260 codes): data, not rules.
//! They tell a 直辖市 (北京市, a provincial body) from a city and name the
//! first link of a region such as 天津市津南区.

/// (GB/T 2260 code, full name) of every provincial-level division.
pub const PROVINCES: &[(u32, &str)] = &[
    (110000, "北京市"),
    (120000, "天津市"),
    (130000, "河北省"),
    (140000, "山西省"),
    (150000, "内蒙古自治区"),
    (210000, "辽宁省"),
    (220000, "吉林省"),
    (230000, "黑龙江省"),
    (310000, "上海市"),
    (320000, "江苏省"),
    (330000, "浙江省"),
    (340000, "安徽省"),
    (350000, "福建省"),
    (360000, "江西省"),
    (370000, "山东省"),
    (410000, "河南省"),
    (420000, "湖北省"),
    (430000, "湖南省"),
    (440000, "广东省"),
    (450000, "广西壮族自治区"),
    (460000, "海南省"),
    (500000, "重庆市"),
    (510000, "四川省"),
    (520000, "贵州省"),
    (530000, "云南省"),
    (540000, "西藏自治区"),
    (610000, "陕西省"),
    (620000, "甘肃省"),
    (630000, "青海省"),
    (640000, "宁夏回族自治区"),
    (650000, "新疆维吾尔自治区"),
    (710000, "台湾省"),
    (810000, "香港特别行政区"),
    (820000, "澳门特别行政区"),
];

/// The provincial-level division whose full name `s[i..]` starts with.
pub fn province_at(s: &[char], i: usize) -> Option<(u32, &'static str)> {
    PROVINCES.iter().copied().find(|(_, name)| crate::scan::at(s, i, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_provincial() {
        let mut codes: Vec<u32> = PROVINCES.iter().map(|p| p.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 34);
        assert!(codes.iter().all(|c| c % 10000 == 0));
        let s: Vec<char> = "北京市国民经济".chars().collect();
        assert_eq!(province_at(&s, 0), Some((110000, "北京市")));
        assert_eq!(province_at(&s, 1), None);
    }
}
