package mailroom.api.feishu;

/** One Feishu error answer: business or gateway code, HTTP status and platform message. */
public record FeishuError(int code, int httpStatus, String msg) {
    public FeishuError withStatus(int status) {
        return new FeishuError(code, status, msg);
    }

    public FeishuError withMsg(String message) {
        return new FeishuError(code, httpStatus, message);
    }
}
